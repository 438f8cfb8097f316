# shellcheck shell=bash
# The SMTP peer of the mail tests (TR-3): Python's aiosmtpd with the handler in
# scripts/smtp_sink/hotro_sink.py. Each test starts its own instance on a free loopback port
# (crates/server/tests/mail_outbound.rs), so only the install lives here.

ensure_aiosmtpd() {
    if python3 -c 'import aiosmtpd' 2>/dev/null; then return 0; fi
    command -v python3 >/dev/null 2>&1 || apt_install python3
    log "installing aiosmtpd (PyPI)"
    # Debian's own python3 refuses pip installs outside a virtual environment (PEP 668); its
    # python3-aiosmtpd package serves the same purpose there.
    python3 -m pip install --quiet aiosmtpd 2>/dev/null ||
        python3 -m pip install --quiet --user --break-system-packages aiosmtpd 2>/dev/null ||
        apt_install python3-aiosmtpd
    python3 -c 'import aiosmtpd' 2>/dev/null || die "aiosmtpd could not be installed"
}

# Nothing runs between tests: each test stops its own peer.
start_smtp() { :; }
stop_smtp() { :; }
