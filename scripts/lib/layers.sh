# shellcheck shell=bash
# The layers of docs/ARCHITECTURE.md, checked as absences before any test runs: a dependency
# or an import that crosses a layer fails the run with the rule it breaks.

# The crates a package depends on at run time (normal edges only), one name per line.
runtime_crates() {
    cargo tree --offline "$@" -e normal --prefix none 2>/dev/null | awk '{print $1}' | sort -u
}

check_layers() {
    log "layers (docs/ARCHITECTURE.md invariants)"
    local bad=0 found
    # `hotro mail ingest` and the rest of the CLI build without the HTTP crate.
    if runtime_crates -p hotro-cli --no-default-features | grep -qx hotro-server; then
        printf 'layer: hotro-cli without the http feature still depends on hotro-server\n' >&2
        bad=1
    fi
    # core and calendar are pure: no database, runtime, HTTP or mail crate.
    for pkg in hotro-core hotro-calendar; do
        found=$(runtime_crates -p "$pkg" | grep -xE 'sqlx|sqlx-core|rusqlite|tokio|axum|hyper|reqwest|lettre|async-imap|mail-parser|hotro-store|hotro-mail|hotro-app' || true)
        if [ -n "$found" ]; then
            printf 'layer: %s must stay pure but depends on: %s\n' "$pkg" "$(echo "$found" | tr '\n' ' ')" >&2
            bad=1
        fi
    done
    # Only server knows HTTP; only store knows SQL.
    for pkg in hotro-app hotro-store hotro-mail; do
        if runtime_crates -p "$pkg" | grep -qxE 'axum|hotro-server'; then
            printf 'layer: %s depends on the HTTP door\n' "$pkg" >&2
            bad=1
        fi
    done
    if runtime_crates -p hotro-app --depth 1 | grep -qxE 'sqlx|sqlx-core|rusqlite'; then
        printf 'layer: hotro-app reaches the database around the store\n' >&2
        bad=1
    fi
    # The store's folders: jobs use write, write uses no job, read uses neither.
    if grep -rnE 'crate::jobs' crates/store/src/write crates/store/src/read; then
        printf 'layer: store write/ or read/ imports jobs/\n' >&2
        bad=1
    fi
    if grep -rnE 'crate::write' crates/store/src/read; then
        printf 'layer: store read/ imports write/\n' >&2
        bad=1
    fi
    # No import circle between the modules of the crates that hold the layers' seams.
    if ! python3 scripts/lib/import_cycles.py store server app cli >&2; then
        bad=1
    fi
    [ "$bad" -eq 0 ] || die "a layer is crossed (see above)"
}
