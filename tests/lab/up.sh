#!/bin/bash
# Brings the SSH lab up (idempotent; run as root): a bridge with the lab's own /24, LAB_HOSTS network-namespace
# hosts (default 3) at .11, .12, ... each running its own sshd (own host key) with root login by key only,
# a client key, a known_hosts file for the host keys, the user `labuser` (password `labpass`, sudo rights),
# and the inventory tests/lab/.state/inventory.yml. Prints the inventory path.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lab.conf.sh"
[ "$(id -u)" = 0 ] || { echo "up.sh: must run as root" >&2; exit 1; }
# .10-.99 of labbr0 are namespace hosts (nspawn hosts use .100-.199); a bridge of its own (LAB_BRIDGE, LAB_NET) takes up to 240
max=89; [ "$LAB_BRIDGE" = labbr0 ] || max=240
if [ "$LAB_HOSTS" -lt 1 ] || [ "$LAB_HOSTS" -gt "$max" ]; then echo "up.sh: LAB_HOSTS must be 1..$max on $LAB_BRIDGE" >&2; exit 1; fi

need=()
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v sudo >/dev/null 2>&1 || need+=(sudo)
if [ ${#need[@]} -gt 0 ]; then
  echo "up.sh: installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 "${need[@]}" >&2 ||
    { apt-get update -o DPkg::Lock::Timeout=300 >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 "${need[@]}" >&2; }
fi

mkdir -p "$STATE" "$STATE/home"; chmod 755 "$STATE"; chmod 755 "$STATE/home"
mkdir -p /run/sshd; chmod 755 /run/sshd
# plain dotfiles: sshd sets HOME here, so bash reads these instead of root's real ~/.bashrc
: > "$STATE/home/.bashrc"; : > "$STATE/home/.profile"
[ -f "$STATE/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C runner-lab -f "$STATE/client_ed25519"
cp "$STATE/client_ed25519.pub" "$STATE/authorized_keys"; chmod 644 "$STATE/authorized_keys"

# labuser: a second account for become tests (same authorized key, sudo with a password)
id labuser >/dev/null 2>&1 || useradd -m -s /bin/sh labuser
echo 'labuser:labpass' | chpasswd
echo 'labuser ALL=(ALL) ALL' > /etc/sudoers.d/runner-lab; chmod 440 /etc/sudoers.d/runner-lab

if ! ip link show "$LAB_BRIDGE" >/dev/null 2>&1; then
  ip link add "$LAB_BRIDGE" type bridge
fi
addrs=$(ip -4 -o addr show dev "$LAB_BRIDGE")
[[ "$addrs" == *"inet $LAB_NET.1/24"* ]] || ip addr add "$LAB_NET.1/24" dev "$LAB_BRIDGE"
ip link set "$LAB_BRIDGE" up

: > "$STATE/known_hosts.new"
for i in $(seq 1 "$LAB_HOSTS"); do
  ns=$(lab_ns "$i"); ip=$(lab_ip "$i"); veth=$(lab_veth "$i")
  [ -f "$STATE/host_$ns" ] || ssh-keygen -q -t ed25519 -N '' -C "$ns" -f "$STATE/host_$ns"
  # files `ip netns exec` binds over /etc inside the host: its own name resolves, and DNS fails fast (no route off the lab)
  mkdir -p "/etc/netns/$ns"
  printf '127.0.0.1 localhost\n%s %s\n' "$ip" "$ns" > "/etc/netns/$ns/hosts"
  printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "/etc/netns/$ns/resolv.conf"
  nslist=$(ip netns list)
  if ! grep -qw "$ns" <<<"$nslist"; then
    ip netns add "$ns"
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    ip link set "$veth" master "$LAB_BRIDGE" up
    ip -n "$ns" addr add "$ip/24" dev eth0
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via "$LAB_NET.1"
  fi
  cat > "$STATE/sshd_$ns.conf" <<CFG
Port 22
ListenAddress $ip
HostKey $STATE/host_$ns
PidFile $STATE/sshd_$ns.pid
AuthorizedKeysFile $STATE/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
UsePAM no
StrictModes no
SetEnv HOME=$STATE/home
Subsystem sftp /usr/lib/openssh/sftp-server
CFG
  pid=$(cat "$STATE/sshd_$ns.pid" 2>/dev/null || true)
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    /usr/sbin/sshd -t -f "$STATE/sshd_$ns.conf"
    # own UTS namespace so each host has its own hostname; sshd daemonizes and keeps it alive
    ip netns exec "$ns" unshare --uts sh -c "hostname $ns; exec /usr/sbin/sshd -f '$STATE/sshd_$ns.conf' -E '$STATE/sshd_$ns.log'"
  fi
  echo "$ip $(cut -d' ' -f1,2 "$STATE/host_$ns.pub")" >> "$STATE/known_hosts.new"
done
mv -f "$STATE/known_hosts.new" "$STATE/known_hosts"

for i in $(seq 1 "$LAB_HOSTS"); do
  ip=$(lab_ip "$i"); ok=
  for _ in $(seq 1 250); do (exec 3<>"/dev/tcp/$ip/22") 2>/dev/null && { ok=1; break; }; sleep 0.02; done
  [ -n "$ok" ] || { echo "up.sh: sshd on $ip did not start (see $STATE/sshd_$(lab_ns "$i").log)" >&2; exit 1; }
done

inv="$STATE/inventory.yml"
{
  echo "# Written by tests/lab/up.sh: the SSH lab's network-namespace hosts."
  echo "all:"
  echo "  hosts:"
  for i in $(seq 1 "$LAB_HOSTS"); do
    ns=$(lab_ns "$i")
    echo "    $ns:"
    echo "      ansible_host: $(lab_ip "$i")"
    echo "      lab_netns: $ns"
    echo "      lab_sshd_config: $STATE/sshd_$ns.conf"
  done
  echo "  vars:"
  echo "    ansible_user: root"
  echo "    ansible_ssh_private_key_file: $STATE/client_ed25519"
  echo "    ansible_ssh_common_args: \"-o UserKnownHostsFile=$STATE/known_hosts\""
  echo "    lab_known_hosts: $STATE/known_hosts"
  echo "    lab_become_user: labuser"
  echo "    lab_become_password: labpass"
} > "$inv.new"
mv -f "$inv.new" "$inv"
echo "$LAB_HOSTS" > "$STATE/hosts"
echo "$inv"
