# shellcheck shell=bash
# Helpers shared by scripts/test.sh and the per-server files next to this one (postgres.sh, ...).
# Each server file defines ensure_<name> (install), start_<name> and stop_<name>.

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Package installs need root; use sudo when we are someone else.
as_root() {
    if is_root; then "$@"; else sudo "$@"; fi
}

# Servers such as postgres and dovecot refuse to run as root: as root, run them as their
# system user; as anyone else, run them as ourselves.
as_user() {
    local user=$1
    shift
    if is_root; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# A directory a server run by as_user USER may own.
make_owned_dir() {
    local user=$1 dir=$2
    mkdir -p "$dir"
    if is_root; then chown "$user:$(id -gn "$user")" "$dir"; fi
}

APT_UPDATED=0

# apt_install PKG...: install Debian packages without letting them start system daemons
# (a policy-rc.d that exits 101 forbids it), so the only servers running are the ones we start.
apt_install() {
    local created_policy=0 rc=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
        as_root chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
    fi
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        as_root apt-get update -qq || rc=$?
        [ "$rc" -ne 0 ] || APT_UPDATED=1
    fi
    if [ "$rc" -eq 0 ]; then
        log "installing $*"
        as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "$@" >/dev/null || rc=$?
    fi
    if [ "$created_policy" -eq 1 ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
    [ "$rc" -eq 0 ] || die "apt-get failed to install $* (exit $rc)"
}

# A loopback TCP port nobody listens on right now. Servers can still lose the race for it,
# so start functions retry with another port.
free_port() {
    local port _
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        # Bash's /dev/tcp connect fails when nothing listens there.
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    die "no free loopback port found"
}
