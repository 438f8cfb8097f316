# shellcheck shell=bash
# A throwaway PostgreSQL cluster for the tests: Debian's packages, a temp dir, a loopback port.
# Needs common.sh and TEST_TMP (a directory removed at exit). Sets HOTRO_TEST_PG_URL, which
# hotro-testkit's fresh_postgres_url() uses to create one database per test.

PG_DIR=""

# The newest /usr/lib/postgresql/<version>/bin, empty when PostgreSQL is not installed.
pg_bin_dir() {
    local dir
    dir=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
        sort -V | tail -n 1)
    [ -z "$dir" ] || dirname "$dir"
}

ensure_postgres() {
    if [ -z "$(pg_bin_dir)" ]; then apt_install postgresql; fi
    [ -n "$(pg_bin_dir)" ] || die "PostgreSQL is still missing after installing it"
}

start_postgres() {
    local bin port attempt
    bin=$(pg_bin_dir)
    PG_DIR="$TEST_TMP/postgres"
    make_owned_dir postgres "$PG_DIR"

    log "postgres: initdb ($bin)"
    as_user postgres "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$TEST_TMP/initdb.log" 2>&1 ||
        { cat "$TEST_TMP/initdb.log" >&2; die "initdb failed"; }

    for attempt in 1 2 3; do
        port=$(free_port)
        # -w waits until it accepts connections; fsync and friends are off: the data is
        # thrown away at exit anyway.
        if as_user postgres "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" \
            -w -t 60 start -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null; then
            break
        fi
        [ "$attempt" -lt 3 ] || { cat "$PG_DIR/postgres.log" >&2; die "postgres did not start"; }
        log "postgres: port $port was taken, trying another"
    done

    "$bin/pg_isready" -q -t 30 -h 127.0.0.1 -p "$port" || die "postgres does not answer"
    export HOTRO_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
    log "postgres: ready on 127.0.0.1:$port"
}

stop_postgres() {
    [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ] || return 0
    # Immediate: nothing to keep. pg_ctl stop waits until the server has exited.
    as_user postgres "$(pg_bin_dir)/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 ||
        log "postgres: pg_ctl stop failed (see $PG_DIR/postgres.log)"
    PG_DIR=""
}
