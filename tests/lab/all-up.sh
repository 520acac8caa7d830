#!/usr/bin/env bash
# Brings the whole lab up (idempotent, as root): SSH hosts in network namespaces (tests/lab/up.sh), booted
# Debian hosts with systemd as PID 1 plus the local ACME CA (tests/lab/nspawn/up.sh, NSPAWN_HOSTS of them and
# NSPAWN_BARE_HOSTS (default 1) bare ones without python3, curl and wget),
# and the seed project's stand-ins on those hosts (tests/lab/seed/up.sh). Each part installs the Debian
# packages it needs; the booted-Debian part skips itself (and its tests skip) when no mirror is reachable.
set -euo pipefail
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ssh_inventory=$("$LAB/up.sh" </dev/null | tail -1)
echo "up.sh: SSH lab inventory $ssh_inventory"
"$LAB/nspawn/up.sh" </dev/null
"$LAB/seed/up.sh" </dev/null
