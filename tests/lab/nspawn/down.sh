#!/usr/bin/env bash
# Takes the booted-Debian lab down (idempotent): halts each host (SIGTERM to systemd-nspawn), unmounts its
# overlay, removes its cgroups and per-host changes, stops the apt repository server. Keeps the cached
# root file system and packages.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/conf.sh"
for d in "$NS_RUN"/*/; do
  [ -d "$d" ] || continue
  name=$(basename "$d")
  if [ -f "$d/nspawn.pid" ]; then
    p=$(cat "$d/nspawn.pid"); kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null || true
    echo "nspawn/down.sh: stopped $name (nspawn pid $p)"
  fi
  mountpoint -q "$d/merged" && umount "$d/merged" || true
  rm -rf "$d" "/run/systemd/nspawn/propagate/$name"
  for h in systemd unified; do
    [ -d "/sys/fs/cgroup/$h/runner-lab/$name" ] && find "/sys/fs/cgroup/$h/runner-lab/$name" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
done
if [ -f "$NS_STATE/apt-repo.pid" ]; then
  kill "$(cat "$NS_STATE/apt-repo.pid")" 2>/dev/null && echo "nspawn/down.sh: stopped the apt repository server" || true
  rm -f "$NS_STATE/apt-repo.pid"
fi
"$NS_DIR/../acme/down.sh" || true
rm -f "$NS_STATE/inventory.yml"
