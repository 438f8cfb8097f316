#!/usr/bin/env bash
# Intake throughput of one build on one SQLite store (issue 13's before/after): staff and
# public intake over HTTP with `hotro bench load` (64 clients, then 1), and mail intake through
# the pipeline every inbound path shares (crates/server/benches/mail_intake.rs: the pipe/IMAP
# call and POST /api/v1/mail/inbound). Reports, asserts nothing; loopback only, bounded.
#
#   HOTRO=…/release/hotro MAIL_BENCH=…/release/deps/mail_intake-… STORE=dir scripts/bench_intake.sh
#
# STORE is a data directory (an empty one is created; a seeded one — `hotro bench seed` — is
# measured as it is: measure a copy, the runs add tickets). DURATION seconds per load (15),
# MESSAGES for the mail bench (4000).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/common.sh
. scripts/lib/common.sh

: "${HOTRO:?the hotro binary to measure}"
: "${MAIL_BENCH:?the mail_intake bench binary of the same build}"
: "${STORE:?the data directory}"
DURATION=${DURATION:-15}
MESSAGES=${MESSAGES:-4000}
SERVER_PID=""
cleanup() { [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT

mkdir -p "$STORE"
run_id=$(date +%s%N)
"$HOTRO" user add --data "$STORE" --email "bench.$run_id@hotro.test" --name Bench \
    --department other --role admin >/dev/null
TOKEN=$("$HOTRO" token create --data "$STORE" --email "bench.$run_id@hotro.test")
PORT=$(free_port)
"$HOTRO" serve --data "$STORE" --listen "127.0.0.1:$PORT" --public-rate-limit 0 \
    >"$STORE/serve.log" 2>&1 &
SERVER_PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "hotro serve stopped: $(tail -5 "$STORE/serve.log")"
    sleep 0.01
done
log "$(date -u +%FT%TZ) $HOTRO on $STORE ($(nproc) cores)"
for clients in 64 1; do
    for op in staff-intake public-intake; do
        log "load: $op, $clients clients, $DURATION s"
        "$HOTRO" bench load --url "http://127.0.0.1:$PORT" --token "$TOKEN" --clients "$clients" \
            --duration "$DURATION" --ops "$op" --server-pid "$SERVER_PID"
    done
done
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
log "mail intake: $MESSAGES messages, 64 in flight"
HOTRO_BENCH_DATABASE_URL="sqlite://$(cd "$STORE" && pwd)/hotro.db?mode=rwc" \
    HOTRO_BENCH_MESSAGES="$MESSAGES" "$MAIL_BENCH"
