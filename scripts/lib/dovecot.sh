# shellcheck shell=bash
# The IMAP server of the mail tests (CH-1): Dovecot from Debian's dovecot-imapd. Each test
# starts its own instance with a throwaway configuration on a free loopback port
# (crates/server/tests/mail_imap.rs), so only the install lives here. apt_install keeps the
# package from starting a system dovecot on ports 143/993.

ensure_dovecot() {
    if command -v dovecot >/dev/null 2>&1 && command -v doveadm >/dev/null 2>&1; then
        return 0
    fi
    apt_install dovecot-imapd
}

# Nothing runs between tests: each test stops its own server.
start_dovecot() { :; }
stop_dovecot() { :; }
