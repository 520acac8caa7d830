#!/usr/bin/env bash
# Takes the whole lab down (idempotent): booted hosts, ACME CA, apt repository server, SSH hosts.
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$LAB/nspawn/down.sh" || echo "all-down.sh: booted-Debian lab teardown failed" >&2
"$LAB/down.sh" || echo "all-down.sh: SSH lab teardown failed" >&2
