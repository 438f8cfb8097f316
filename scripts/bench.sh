#!/usr/bin/env bash
# The issue 6 benchmark suite: seed N tickets, time a cold start of `hotro serve` on them,
# drive each operation with `hotro bench load`, verify the audit chain. Reports, asserts
# nothing. Loopback only; every run is bounded in time.
#
#   scripts/bench.sh sqlite                # embedded SQLite in a temp dir (removed at the end)
#   scripts/bench.sh postgres              # a throwaway PostgreSQL cluster, fsync on
#
# Environment: TICKETS (1000000 on SQLite; 100000 on PostgreSQL, where seeding makes one round
# trip per statement: a million take about 40 minutes there), CLIENTS (64), DURATION seconds (20),
# HOTRO (the binary; default: the release build in CARGO_TARGET_DIR or target/),
# BENCH_DIR (where the data goes, kept; default a new dir under /var/tmp, removed at the end
# unless KEEP=1). A BENCH_DIR that already holds a store (data/hotro.db, or postgres/data from
# an earlier PostgreSQL run) is measured as it is, without seeding again (a million tickets
# take about 20 minutes to seed on SQLite, 45 on PostgreSQL; measure a copy of a kept store,
# as the load runs add tickets to it). SEED_ONLY=1 seeds and stops, to measure later.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/common.sh
. scripts/lib/common.sh
# shellcheck source=lib/postgres.sh
. scripts/lib/postgres.sh

BACKEND=${1:-sqlite}
if [ "$BACKEND" = postgres ]; then TICKETS=${TICKETS:-100000}; else TICKETS=${TICKETS:-1000000}; fi
CLIENTS=${CLIENTS:-64}
DURATION=${DURATION:-20}
HOTRO=${HOTRO:-${CARGO_TARGET_DIR:-target}/release/hotro}
[ -x "$HOTRO" ] || die "no binary at $HOTRO: cargo build --release -p hotro-cli"
REMOVE_DIR=0
if [ -z "${BENCH_DIR:-}" ]; then
    BENCH_DIR=$(mktemp -d /var/tmp/hotro-bench.XXXXXX)
    [ "${KEEP:-0}" = 1 ] || REMOVE_DIR=1
fi
mkdir -p "$BENCH_DIR"
# PostgreSQL runs as its own user and must reach its directory inside this one.
chmod 755 "$BENCH_DIR"
SERVER_PID=""
PG_BENCH=""
SEEDED=0
[ ! -f "$BENCH_DIR/data/hotro.db" ] || SEEDED=1

cleanup() {
    [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
    if [ -n "$PG_BENCH" ]; then
        as_user postgres "$(pg_bin_dir)/pg_ctl" -D "$PG_BENCH/data" -m fast stop >/dev/null 2>&1 || true
    fi
    [ "$REMOVE_DIR" = 0 ] || rm -rf "$BENCH_DIR"
}
trap cleanup EXIT

case "$BACKEND" in
sqlite) STORE=(--data "$BENCH_DIR/data") ;;
postgres)
    ensure_postgres
    PG_BENCH="$BENCH_DIR/postgres"
    if [ -f "$PG_BENCH/data/PG_VERSION" ]; then
        SEEDED=1
    else
        make_owned_dir postgres "$PG_BENCH"
        as_user postgres "$(pg_bin_dir)/initdb" -D "$PG_BENCH/data" -U postgres --auth=trust \
            -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    port=$(free_port)
    # Durable like the SQLite runs (fsync and synchronous_commit on, the defaults); a little
    # more shared memory than the default 128 MB for a million tickets.
    as_user postgres "$(pg_bin_dir)/pg_ctl" -D "$PG_BENCH/data" -l "$PG_BENCH/postgres.log" -w \
        start -o "-p $port -k $PG_BENCH -c listen_addresses=127.0.0.1 -c shared_buffers=256MB \
-c max_connections=100" >/dev/null
    STORE=(--database-url "postgres://postgres@127.0.0.1:$port/postgres")
    ;;
*) die "usage: scripts/bench.sh sqlite|postgres" ;;
esac

log "$(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
if [ "$SEEDED" = 1 ]; then
    log "seed: none, measuring the store already in $BENCH_DIR"
else
    log "seed: $TICKETS tickets ($BACKEND)"
    /usr/bin/time -f "seed: %e s wall, %M KiB max resident" "$HOTRO" bench seed "${STORE[@]}" \
        --tickets "$TICKETS"
fi
[ "$BACKEND" = sqlite ] && du -sh "$BENCH_DIR/data" >&2
if [ "${SEED_ONLY:-0}" = 1 ]; then
    log "SEED_ONLY=1: the store stays in $BENCH_DIR"
    REMOVE_DIR=0
    exit 0
fi

# Staff of this run (a reused store keeps the last run's).
run_id=$(date +%s)
"$HOTRO" user add "${STORE[@]}" --email "bench.$run_id@hotro.test" --name "Bench" \
    --department other --role admin >/dev/null
TOKEN=$("$HOTRO" token create "${STORE[@]}" --email "bench.$run_id@hotro.test")
# An agent sees one department (RT-4): the filter is part of each search and queue query.
"$HOTRO" user add "${STORE[@]}" --email "sales.$run_id@hotro.test" --name "Sales" \
    --department sales --role agent >/dev/null
AGENT_TOKEN=$("$HOTRO" token create "${STORE[@]}" --email "sales.$run_id@hotro.test")

# Cold start: from exec to the first 200 from /healthz.
PORT=$(free_port)
start_ns=$(date +%s%N)
"$HOTRO" serve "${STORE[@]}" --listen "127.0.0.1:$PORT" --public-rate-limit 0 \
    >"$BENCH_DIR/serve.log" 2>&1 &
SERVER_PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "hotro serve stopped: $(tail -5 "$BENCH_DIR/serve.log")"
    sleep 0.01
done
log "cold start: $(( ($(date +%s%N) - start_ns) / 1000000 )) ms to the first 200 from /healthz"

for op in staff-intake public-intake queue ticket search reply; do
    log "load: $op, $CLIENTS clients, $DURATION s"
    "$HOTRO" bench load --url "http://127.0.0.1:$PORT" --token "$TOKEN" --clients "$CLIENTS" \
        --duration "$DURATION" --ops "$op" --server-pid "$SERVER_PID"
done
# Latency without queueing: one client at a time for the read targets (queue, search).
for op in queue search ticket; do
    log "load: $op, 1 client, $DURATION s"
    "$HOTRO" bench load --url "http://127.0.0.1:$PORT" --token "$TOKEN" --clients 1 \
        --duration "$DURATION" --ops "$op" --server-pid "$SERVER_PID"
done
for op in queue search; do
    log "load: $op, 1 client, a sales agent's token, $DURATION s"
    "$HOTRO" bench load --url "http://127.0.0.1:$PORT" --token "$AGENT_TOKEN" --clients 1 \
        --duration "$DURATION" --ops "$op" --server-pid "$SERVER_PID"
done
log "load: all operations mixed"
"$HOTRO" bench load --url "http://127.0.0.1:$PORT" --token "$TOKEN" --clients "$CLIENTS" \
    --duration "$DURATION" --server-pid "$SERVER_PID"

kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
/usr/bin/time -f "audit verify: %e s" "$HOTRO" audit verify "${STORE[@]}"
