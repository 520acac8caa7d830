#!/bin/bash
# Takes the SSH lab down (idempotent; run as root): stops the lab sshds, deletes the namespaces, and the bridge
# when nothing else is attached to it; removes the inventory. Keys stay in tests/lab/.state for the next up.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lab.conf.sh"
[ "$(id -u)" = 0 ] || { echo "down.sh: must run as root" >&2; exit 1; }
n=$(cat "$STATE/hosts" 2>/dev/null || echo "$LAB_HOSTS")
[ "$n" -ge "$LAB_HOSTS" ] || n=$LAB_HOSTS
for i in $(seq 1 "$n"); do
  ns=$(lab_ns "$i")
  pid=$(cat "$STATE/sshd_$ns.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.02; done
  fi
  rm -f "$STATE/sshd_$ns.pid"
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "/etc/netns/$ns"
done
for _ in $(seq 1 100); do [ -z "$(ls /sys/class/net/"$LAB_BRIDGE"/brif 2>/dev/null)" ] && break; sleep 0.02; done
if ip link show "$LAB_BRIDGE" >/dev/null 2>&1 && [ -z "$(ls /sys/class/net/"$LAB_BRIDGE"/brif 2>/dev/null)" ]; then
  ip link del "$LAB_BRIDGE"
fi
rm -f "$STATE/inventory.yml" "$STATE/hosts"
