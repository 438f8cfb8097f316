#!/usr/bin/env bash
# The one test command, for people and CI alike:
#
#   scripts/test.sh                  # format check + every test of the workspace
#   scripts/test.sh -p hotro-core    # extra arguments go to `cargo nextest run`
#
# Works on a fresh Debian 12 with only rustup's toolchain: installs what is missing
# (PostgreSQL from Debian, cargo-nextest from crates.io), starts the servers the tests talk
# to on loopback ports in a temp dir, runs the tests, and stops everything on exit.
# Servers live in scripts/lib/<name>.sh as ensure_<name>/start_<name>/stop_<name>.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/common.sh
source scripts/lib/common.sh
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=scripts/lib/browser.sh
source scripts/lib/browser.sh
# shellcheck source=scripts/lib/smtp.sh
source scripts/lib/smtp.sh
# shellcheck source=scripts/lib/dovecot.sh
source scripts/lib/dovecot.sh
# shellcheck source=scripts/lib/layers.sh
source scripts/lib/layers.sh
# shellcheck source=scripts/lib/contract.sh
source scripts/lib/contract.sh

TEST_TMP=""
USE_NEXTEST=0

cleanup() {
    local rc=$?
    stop_contract_server
    stop_postgres
    if [ -n "$TEST_TMP" ]; then rm -rf "$TEST_TMP"; fi
    exit "$rc"
}

# Outside the clone, so CI (a new clone each time) reuses earlier builds.
setup_target_dir() {
    if [ -z "${CARGO_TARGET_DIR:-}" ]; then
        export CARGO_TARGET_DIR="$HOME/.cache/hotro-target"
    fi
    mkdir -p "$CARGO_TARGET_DIR"
}

ensure_rustfmt() {
    if ! cargo fmt --version >/dev/null 2>&1; then
        log "installing rustfmt"
        rustup component add rustfmt
    fi
}

ensure_nextest() {
    if cargo nextest --version >/dev/null 2>&1; then
        USE_NEXTEST=1
        return
    fi
    log "installing cargo-nextest (a few minutes, once)"
    # Its own throwaway target dir: nextest's build has nothing to share with ours.
    if env -u CARGO_TARGET_DIR cargo install cargo-nextest --locked; then
        USE_NEXTEST=1
    else
        log "warning: could not install cargo-nextest; falling back to cargo test"
    fi
}

check_format() {
    log "cargo fmt --check"
    cargo fmt --all -- --check ||
        die "code is not formatted: run 'cargo fmt --all' and commit the result"
}

run_tests() {
    local scope=(--workspace) arg
    # Selecting packages ourselves narrows the run instead of adding to --workspace.
    for arg in "$@"; do
        case "$arg" in
        -p | --package | --package=* | -p?* | --workspace | --all) scope=() ;;
        esac
    done
    if [ "$USE_NEXTEST" -eq 1 ]; then
        log "cargo nextest run ${scope[*]} --no-fail-fast $*"
        cargo nextest run "${scope[@]}" --no-fail-fast "$@"
    else
        log "cargo test ${scope[*]} --no-fail-fast $*"
        cargo test "${scope[@]}" --no-fail-fast "$@"
    fi
}

main() {
    trap cleanup EXIT
    # Turn signals into a normal exit so the EXIT trap stops the servers.
    trap 'exit 130' INT
    trap 'exit 143' TERM

    setup_target_dir
    ensure_rustfmt
    check_format
    check_layers
    ensure_postgres
    ensure_nextest
    ensure_aiosmtpd
    ensure_dovecot
    ensure_chromium
    ensure_e2e_deps
    ensure_schemathesis

    TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hotro-test.XXXXXX")
    # Servers run as their own users and must be able to reach their subdirectories.
    chmod 755 "$TEST_TMP"
    start_postgres

    local rc=0
    run_tests "$@" || rc=$?
    # The browser flows and the contract fuzzer run on a full run only (not when narrowed
    # to some packages).
    if [ "$#" -eq 0 ]; then
        run_browser_tests || rc=$?
        run_contract_fuzz || rc=$?
    fi
    if [ "$rc" -eq 0 ]; then log "tests passed"; else log "tests failed (exit $rc)"; fi
    return "$rc"
}

main "$@"
