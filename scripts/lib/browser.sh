# shellcheck shell=bash
# Browser tests: Debian's chromium driven by npm's playwright-core (never a downloaded
# browser), against a real `hotro serve` that each test file starts on a free port.

ensure_chromium() {
    if [ -x /usr/bin/chromium ]; then return; fi
    apt_install chromium
}

ensure_e2e_deps() {
    command -v node >/dev/null || apt_install nodejs npm
    log "npm ci (e2e)"
    (cd "$ROOT/e2e" && npm ci --no-audit --no-fund --silent) || die "npm ci failed in e2e/"
}

run_browser_tests() {
    log "building the hotro binary for the browser tests"
    cargo build -q -p hotro-cli || return $?
    log "browser tests (node --test e2e/tests)"
    (cd "$ROOT/e2e" && HOTRO_BIN="$CARGO_TARGET_DIR/debug/hotro" \
        node --test --test-concurrency=1 tests/)
}
