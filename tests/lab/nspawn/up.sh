#!/usr/bin/env bash
# Brings the booted-Debian lab up (idempotent; run as root): Debian bookworm hosts with systemd as PID 1
# (systemd-nspawn, each on its own overlay over a cached root file system), on the SSH lab's bridge at
# .101, .102, ..., sshd with root login by the lab key, and a local apt repository (a few tiny packages,
# served over HTTP on the bridge address) as the hosts' only apt source. Writes .state/inventory.yml
# here and prints what it started. Also NSPAWN_BARE_HOSTS bare hosts (rbare1.. at .191..., inventory group
# `bare`): the same root file system with python3, curl and wget purged from their overlay, as minimal images come.
# Usage: up.sh [NAME...]   with NAMEs (e.g. rbare1), boots only those hosts and leaves the running ones alone (a
# host that is not running always boots from the plain root file system); the inventory always lists every
# configured host. Exits 0 with a message and no inventory (lab tests then skip) when
# the root file system cannot be built (no mirror reachable).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/conf.sh"
[ "$(id -u)" = 0 ] || { echo "nspawn/up.sh: must run as root" >&2; exit 1; }
say() { echo "nspawn/up.sh: $*"; }
# every configured host: NAME IP [bare]
hosts() {
  for i in $(seq 1 "$NS_HOSTS"); do echo "$(ns_name "$i") $(ns_ip "$i")"; done
  for i in $(seq 1 "$NS_BARE"); do echo "$(ns_bare_name "$i") $(ns_bare_ip "$i") bare"; done
}
only=" $* "
configured=" $(hosts | cut -d' ' -f1 | xargs) "
for n in "$@"; do [[ $configured == *" $n "* ]] || { say "unknown host $n (configured:$configured)"; exit 1; }; done

need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v systemd-nspawn >/dev/null || need+=(systemd-container)
command -v zstd >/dev/null || need+=(zstd)
command -v dpkg-scanpackages >/dev/null || need+=(dpkg-dev)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 "${need[@]}" >&2 ||
    { apt-get update -o DPkg::Lock::Timeout=300 >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 "${need[@]}" >&2; } ||
    { say "cannot install ${need[*]}; the booted-Debian lab is skipped"; exit 0; }
fi

mkdir -p "$NS_STATE" "$NS_RUN"
if ! "$NS_DIR/rootfs.sh" "$NS_ROOTFS"; then
  rm -f "$NS_STATE/inventory.yml"
  say "no root file system (no Debian mirror reachable?); the booted-Debian lab is skipped"; exit 0
fi

# the bridge (shared with the SSH lab; created here when that lab is not up)
ip link show "$LAB_BRIDGE" >/dev/null 2>&1 || ip link add "$LAB_BRIDGE" type bridge
[[ "$(ip -4 -o addr show dev "$LAB_BRIDGE")" == *"inet $LAB_NET.1/24"* ]] || ip addr add "$LAB_NET.1/24" dev "$LAB_BRIDGE"
ip link set "$LAB_BRIDGE" up
[ -f "$NS_STATE/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C runner-nspawn-lab -f "$NS_STATE/client_ed25519"

"$NS_DIR/apt-repo.sh"

# strip_bare MERGED: makes the overlay of a bare host lack python3, curl and wget: purged with apt-get in a chroot (reverse
# dependencies such as certbot go with them, so dpkg and apt stay consistent for the package modules); apt's output goes to strip.log beside MERGED.
strip_bare() {
  local m=$1 log=$1/../strip.log pkgs
  pkgs=$(chroot "$m" dpkg-query -W -f '${Package} ${db:Status-Status}\n' |
    awk '$2 == "installed" && $1 ~ /^(python3|libpython3|curl$|wget$)/ {print $1}')
  [ -z "$pkgs" ] || chroot "$m" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $pkgs >"$log" 2>&1
  chroot "$m" env DEBIAN_FRONTEND=noninteractive apt-get autoremove --purge -y -qq >>"$log" 2>&1
  rm -rf "$m/var/cache/apt/"*.bin
}

# boot_one NAME IP [bare]
boot_one() {
  local name=$1 ip=$2 kind=${3:-} d L s=
  d=$NS_RUN/$name
  if [ -f "$d/nspawn.pid" ] && kill -0 "$(cat "$d/nspawn.pid")" 2>/dev/null; then say "$name ($ip) already running"; return 0; fi
  # a host that is not running starts from the cached root file system alone: changes a previous lab left in its
  # overlay (a lab never taken down, a machine image taken while the lab ran) would make "first run" tests see a
  # converged host
  mountpoint -q "$d/merged" && umount "$d/merged"
  rm -rf "$d/upper" "$d/work"
  mkdir -p "$d/upper" "$d/work" "$d/merged"
  mount -t overlay overlay -o "lowerdir=$NS_ROOTFS,upperdir=$d/upper,workdir=$d/work" "$d/merged"
  [ "$kind" = bare ] && strip_bare "$d/merged"
  echo "$name" > "$d/merged/etc/hostname"
  printf '127.0.0.1 localhost\n%s %s\n' "$ip" "$name" > "$d/merged/etc/hosts"
  install -d -m 700 "$d/merged/root/.ssh"
  install -m 600 "$NS_STATE/client_ed25519.pub" "$d/merged/root/.ssh/authorized_keys"
  # the local repository is the only apt source (no route off the bridge)
  echo "deb [trusted=yes] http://$LAB_NET.1:$NS_REPO_PORT/ ./" > "$d/merged/etc/apt/sources.list"
  rm -f "$d/merged/etc/apt/sources.list.d/"*
  printf 'nameserver %s.1\noptions timeout:1 attempts:1\n' "$LAB_NET" > "$d/merged/etc/resolv.conf"
  # a veth left behind by a container that was killed would make nspawn fail ("File exists")
  ip link del "vb-$name" 2>/dev/null || true
  # own host cgroup per container, or units inside fail with 219/CGROUP
  for h in systemd unified; do [ -d /sys/fs/cgroup/$h ] && mkdir -p "/sys/fs/cgroup/$h/runner-lab/$name"; done
  ( for h in systemd unified; do [ -d /sys/fs/cgroup/$h/runner-lab/$name ] && echo $BASHPID > "/sys/fs/cgroup/$h/runner-lab/$name/cgroup.procs"; done
    exec setsid systemd-nspawn -q -D "$d/merged" -M "$name" --uuid="$(cat /proc/sys/kernel/random/uuid)" -b \
      --register=no --keep-unit --network-bridge="$LAB_BRIDGE" --console=passive </dev/null >"$d/console.log" 2>&1 ) &
  echo $! > "$d/nspawn.pid"
  # the container's init is the nspawn child that has exec'd systemd in a network namespace of its own
  # (nspawn's short-lived helper children also get the new namespace, but never run systemd)
  own_net=$(readlink /proc/self/ns/net)
  for _ in $(seq 1 400); do
    L=$(pgrep -P "$(cat "$d/nspawn.pid")" -x systemd | head -1 || true)
    [ -n "$L" ] && [ -e "/proc/$L/ns/net" ] && [ "$(readlink "/proc/$L/ns/net" 2>/dev/null)" != "$own_net" ] && break
    L=; sleep 0.05
  done
  [ -n "${L:-}" ] || { say "$name did not start (see $d/console.log)"; return 1; }
  echo "$L" > "$d/leader.pid"
  nsenter -t "$L" -n ip addr add "$ip/24" dev host0
  nsenter -t "$L" -n ip link set host0 up
  nsenter -t "$L" -n ip route add default via "$LAB_NET.1" 2>/dev/null || true
  for _ in $(seq 1 600); do
    s=$(nsenter -t "$L" -a systemctl is-system-running 2>/dev/null || true)
    case $s in running|degraded) break;; esac; sleep 0.1
  done
  for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/$ip/22") 2>/dev/null && break; sleep 0.05; done
  if [ "$kind" = bare ]; then
    local found
    found=$(nsenter -t "$L" -a sh -c 'command -v python3 python curl wget' || true)
    [ -z "$found" ] || { say "$name is not bare: $found"; return 1; }
    nsenter -t "$L" -a sh -c 'test -z "$(dpkg --audit)" && apt-get check -qq' ||
      { say "$name: dpkg/apt are inconsistent after the purge"; return 1; }
  fi
  say "started $name at $ip${kind:+ ($kind: no python3, curl, wget)} (systemd $s, leader pid $L, nspawn pid $(cat "$d/nspawn.pid"))"
}
while read -r name ip kind; do
  [ $# -eq 0 ] || [[ $only == *" $name "* ]] || continue
  boot_one "$name" "$ip" $kind </dev/null
done < <(hosts)

# all hosts share the root file system's host key; the files are replaced atomically (other runs read them)
while read -r name ip kind; do
  echo "$ip $(cut -d' ' -f1,2 "$NS_ROOTFS/etc/ssh/ssh_host_ed25519_key.pub")"
done < <(hosts) > "$NS_STATE/known_hosts.new"
mv -f "$NS_STATE/known_hosts.new" "$NS_STATE/known_hosts"
inv=$NS_STATE/inventory.yml
{
  echo "# Written by tests/lab/nspawn/up.sh: booted Debian hosts (systemd as PID 1)."
  echo "all:"
  echo "  hosts:"
  for i in $(seq 1 "$NS_HOSTS"); do
    echo "    $(ns_name "$i"):"
    echo "      ansible_host: $(ns_ip "$i")"
    echo "      lab_machine_dir: $NS_RUN/$(ns_name "$i")"
  done
  if [ "$NS_BARE" -gt 0 ]; then
    echo "  children:"
    echo "    bare:  # no python3, curl, wget"
    echo "      hosts:"
    for i in $(seq 1 "$NS_BARE"); do
      echo "        $(ns_bare_name "$i"):"
      echo "          ansible_host: $(ns_bare_ip "$i")"
      echo "          lab_machine_dir: $NS_RUN/$(ns_bare_name "$i")"
    done
  fi
  echo "  vars:"
  echo "    ansible_user: root"
  echo "    ansible_ssh_private_key_file: $NS_STATE/client_ed25519"
  echo "    ansible_ssh_common_args: \"-o UserKnownHostsFile=$NS_STATE/known_hosts\""
  echo "    lab_known_hosts: $NS_STATE/known_hosts"
  echo "    lab_apt_repo: http://$LAB_NET.1:$NS_REPO_PORT/"
  echo "    lab_bridge_address: $LAB_NET.1"
} > "$inv.new"
mv -f "$inv.new" "$inv"
# idempotent: a host booted alone (up.sh NAME) starts from the plain root file system and needs the lab CA again
"$NS_DIR/../acme/up.sh" || say "the ACME lab did not start"
say "inventory $inv"
