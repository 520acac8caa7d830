#!/usr/bin/env bash
# Stops the lab's ACME CA (pebble, pebble-challtestsrv) started by acme/up.sh. Idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../nspawn/conf.sh"
A=$NS_STATE/acme
for n in pebble challtestsrv; do
  if [ -f "$A/$n.pid" ]; then
    p=$(cat "$A/$n.pid"); kill "$p" 2>/dev/null && echo "acme/down.sh: stopped $n (pid $p)" || true
    rm -f "$A/$n.pid"
  fi
done
rm -f "$A/listen"
