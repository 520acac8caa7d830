namespace Runner.Engine.Facts;

/// <summary>
/// The one batched POSIX sh script that <see cref="FactsProbe"/> runs on a target to gather facts: it reads the
/// files, directories and commands that ansible-core 2.14's Linux fact collectors read
/// (lib/ansible/module_utils/facts/{system,hardware,network,virtual}/*.py) and prints them raw; all parsing is done
/// in C# (<see cref="ProbeOutput"/> and the *Facts classes). Needs only sh, coreutils, /proc, /sys and /etc
/// (awk, ip, getent, findmnt, lsblk, capsh, lsb_release, python3 are used when present). Output records:
/// <c>key=value</c> lines; <c>\036F PATH</c> … <c>\036E</c> (a file's content); <c>\036D PATH</c> … <c>\036E</c>
/// (a directory's entries in readdir order); <c>\036L PATH TARGET</c> (a symlink); <c>\036C NAME RC</c> … <c>\036E</c>
/// (a command's stdout). A probe that fails prints nothing for its item, so that fact is left out.
/// Variables set before the script: <c>fact_path</c> (setup's fact_path, default /etc/ansible/facts.d).
/// </summary>
public static class FactsScript
{
    /// <summary>The script text (run as <c>sh -c SCRIPT</c>).</summary>
    public const string Text = """
env_b64=$(base64 /proc/self/environ 2>/dev/null | tr -d '\n')
echo "env_b64=$env_b64"
LC_ALL=C; export LC_ALL
R=$(printf '\036')
f() { for _p in "$@"; do [ -f "$_p" ] && [ -r "$_p" ] || continue; echo "${R}F $_p"; cat "$_p" 2>/dev/null; echo; echo "${R}E"; done; }
d() { for _p in "$@"; do [ -d "$_p" ] || continue; echo "${R}D $_p"; ls -A1U "$_p" 2>/dev/null || ls -A1 "$_p" 2>/dev/null; echo "${R}E"; done; }
l() { for _p in "$@"; do [ -L "$_p" ] && echo "${R}L $_p $(readlink "$_p")"; done; return 0; }
c() { _n=$1; shift; _o=$("$@" 2>/dev/null </dev/null); _r=$?; echo "${R}C $_n $_r"; printf '%s\n' "$_o"; echo "${R}E"; }
has() { command -v "$1" >/dev/null 2>&1; }
e() { [ -e "$1" ] && echo "exists=$1"; return 0; }
echo "system=$(uname -s)"
echo "kernel=$(uname -r)"
echo "kernel_version=$(uname -v)"
echo "machine=$(uname -m)"
n=$(uname -n); echo "nodename=$n"
fq=""
if has getent; then
  a=$(getent hosts "$n" 2>/dev/null | awk 'NR==1{print $1}')
  [ -n "$a" ] && fq=$(getent hosts "$a" 2>/dev/null | awk 'NR==1{for(i=2;i<=NF;i++) if (index($i,".")) {print $i; exit}; print $2}')
fi
[ -n "$fq" ] || fq=$(hostname -f 2>/dev/null) || true
echo "fqdn=${fq:-$n}"
u=$(id -un); echo "user_id=$u"
echo "user_uid=$(id -u)"
echo "user_gid=$(id -g)"
echo "real_user_id=$(id -ru)"
echo "real_group_id=$(id -rg)"
pw=$(getent passwd "$u" 2>/dev/null) || pw=$(grep "^$u:" /etc/passwd 2>/dev/null | head -n 1)
echo "passwd=$pw"
[ -n "${debian_chroot:-}" ] && echo "debian_chroot=1"
echo "root_stat=$(stat -c '%d %i' / 2>/dev/null)"
echo "proc1_root_stat=$(stat -c '%d %i' /proc/1/root/. 2>/dev/null)"
echo "root_fstype=$(stat -f -c %T / 2>/dev/null)"
if [ -r /etc/os-release ]; then
  sed -n 's/^\(ID\|VERSION_ID\|VERSION_CODENAME\|NAME\|ID_LIKE\|VERSION\)=/osr_\1=/p' /etc/os-release
fi
[ -r /etc/debian_version ] && echo "debian_version=$(cat /etc/debian_version)"
[ -r /etc/redhat-release ] && echo "redhat_release=$(cat /etc/redhat-release)"
[ -r /etc/alpine-release ] && echo "alpine_release=$(cat /etc/alpine-release)"
f /etc/os-release /etc/debian_version /etc/lsb-release /etc/resolv.conf /proc/cmdline /proc/sys/crypto/fips_enabled
f /proc/cpuinfo /proc/meminfo /proc/uptime /proc/loadavg /sys/hypervisor/type /var/lib/dbus/machine-id /etc/machine-id
f /etc/iscsi/initiatorname.iscsi /etc/nvme/hostnqn /sys/class/fc_host/*/port_name
has lsb_release && c lsb lsb_release -a
fb=$(command -v facter 2>/dev/null || { [ -x /opt/puppetlabs/bin/facter ] && echo /opt/puppetlabs/bin/facter; }) || fb=""
[ -n "$fb" ] && { c facter "$fb" --puppet --json; [ "$_r" = 0 ] || c facter "$fb" --json; }
has ohai && c ohai ohai
has capsh && c capsh capsh --print
echo "vcpus=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)"
echo "nproc=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc 2>/dev/null)"
echo "memtotal_kb=$(awk '/^MemTotal:/{print $2}' /proc/meminfo 2>/dev/null)"
echo "proc1=$(cat /proc/1/comm 2>/dev/null)"
[ -d /run/systemd/system ] && echo "systemd_booted=1"
[ -e /sbin/openrc ] && echo "openrc=1"
[ -d /etc/init.d ] && echo "initd=1"
for p in apt-get dnf yum zypper apk pacman; do has "$p" && echo "pkg=$p"; done
for k in dsa rsa ecdsa ed25519; do for dir in /etc/ssh /etc/openssh /etc; do
  [ -r "$dir/ssh_host_${k}_key.pub" ] && { echo "sshkey=$k $(cat "$dir/ssh_host_${k}_key.pub")"; break; }
done; done
[ -e /sys/kernel/security/apparmor ] && echo "apparmor=1"
for lib in /lib/*/libselinux.so.1 /usr/lib/*/libselinux.so.1 /lib64/libselinux.so.1 /usr/lib64/libselinux.so.1 /lib/libselinux.so.1 /usr/lib/libselinux.so.1; do
  [ -e "$lib" ] && { echo "libselinux=$lib"; break; }
done
f /sys/fs/selinux/enforce /sys/fs/selinux/policyvers /etc/selinux/config
if [ -x /usr/bin/python3 ]; then py=/usr/bin/python3; else py=$(command -v python3 2>/dev/null) || py=""; fi
if [ -n "$py" ]; then
  echo "python3=$py"
  c python "$py" -c 'import sys, json, platform
try:
    import ssl; h = hasattr(ssl, "SSLContext")
except Exception:
    h = False
v = sys.version_info
print(json.dumps({"version": {"major": v[0], "minor": v[1], "micro": v[2], "releaselevel": v[3], "serial": v[4]}, "version_info": list(v), "executable": sys.executable, "has_sslcontext": h, "type": sys.implementation.name, "python_version": platform.python_version()}))'
fi
ec=$(od -An -tx1 -j4 -N1 "${py:-/bin/sh}" 2>/dev/null | tr -d ' ')
case $ec in 01|02) ;; *) ec=$(od -An -tx1 -j4 -N1 /bin/sh 2>/dev/null | tr -d ' ');; esac
echo "elf_class=$ec"
e=$(date +%s)
echo "epoch=$e"
echo "nanos=$(date +%N 2>/dev/null)"
echo "local=$(date -d "@$e" '+%Y %m %d %H %M %S %z %Z %A %w %W' 2>/dev/null || date '+%Y %m %d %H %M %S %z %Z %A %w %W')"
y=$(date -d "@$e" +%Y 2>/dev/null || date +%Y)
echo "tz_jan=$(date -d "$y-01-01 12:00" '+%z %Z' 2>/dev/null)"
echo "tz_jul=$(date -d "$y-07-01 12:00" '+%z %Z' 2>/dev/null)"
fp=${fact_path:-/etc/ansible/facts.d}
if [ -d "$fp" ]; then
  for fn in "$fp"/*.fact; do
    [ -e "$fn" ] || continue
    b=${fn##*/}; b=${b%.fact}
    if [ -x "$fn" ]; then o=$("$fn" </dev/null 2>/tmp/.runner-fact-err.$$); r=$?; echo "${R}C local:$b $r"; printf '%s\n' "$o"; echo "${R}E"
      [ "$r" = 0 ] || { echo "${R}C localerr:$b 0"; cat /tmp/.runner-fact-err.$$; echo "${R}E"; }; rm -f /tmp/.runner-fact-err.$$
    else echo "${R}C local:$b 0"; cat "$fn" 2>/dev/null; echo; echo "${R}E"; fi
  done
  echo "fact_path=$fp"
fi
f /proc/1/cgroup /run/systemd/container /proc/xen/capabilities
[ -r /proc/1/environ ] && { echo "${R}F /proc/1/environ"; tr '\0' '\n' 2>/dev/null < /proc/1/environ; echo; echo "${R}E"; }
for p in /proc/vz /proc/lve /proc/bc /.dockerenv /.dockerinit /proc/xen /rhev /dev/kvm /sys/devices/virtual/dmi/id/product_name; do e "$p"; done
echo "vxid=$(grep '^VxID:' /proc/self/status 2>/dev/null)"
[ -r /proc/modules ] && echo "modules=$(cut -d' ' -f1 /proc/modules 2>/dev/null | tr '\n' ' ')"
[ -d /rhev ] && for p in /proc/[0-9]*/comm; do read -r cm < "$p" 2>/dev/null && case $cm in vdsm|vdsmd) echo "vdsm=1"; break;; esac; done
dmi=/sys/devices/virtual/dmi/id
f $dmi/bios_date $dmi/bios_vendor $dmi/bios_version $dmi/board_asset_tag $dmi/board_name $dmi/board_serial $dmi/board_vendor $dmi/board_version $dmi/chassis_asset_tag $dmi/chassis_serial $dmi/chassis_vendor $dmi/chassis_version $dmi/chassis_type $dmi/product_name $dmi/product_serial $dmi/product_uuid $dmi/product_version $dmi/sys_vendor $dmi/product_family
if [ ! -e $dmi/product_name ] && has dmidecode; then
  for k in bios-release-date bios-vendor bios-version baseboard-asset-tag baseboard-product-name baseboard-serial-number baseboard-manufacturer baseboard-version chassis-asset-tag chassis-serial-number chassis-manufacturer chassis-version chassis-type system-product-name system-serial-number system-uuid system-version system-manufacturer; do
    c "dmidecode:$k" dmidecode -s "$k"
  done
fi
if [ "$(id -u)" = 0 ] && has vgs; then
  c vgs vgs --noheadings --nosuffix --units g --separator ,
  c lvs lvs --noheadings --nosuffix --units g --separator ,
  c pvs pvs --noheadings --nosuffix --units g --separator ,
fi
has lspci && c lspci lspci -D
d /sys/block /dev/disk/by-id /dev/disk/by-uuid /dev/disk/by-label
for p in /dev/disk/by-id/* /dev/disk/by-uuid/* /dev/disk/by-label/* /sys/block/*/slaves/*; do l "$p"; done
for b in /sys/block/*; do
  [ -e "$b" ] || continue
  l "$b"; s=$(cd "$b" 2>/dev/null && pwd -P) || continue
  echo "blockdir=${b##*/} $s"
  d "$s" "$s/holders"
  f "$s/device/vendor" "$s/device/model" "$s/device/sas_address" "$s/device/sas_device_handle" "$s/device/serial" "$s/removable" "$s/queue/discard_granularity" "$s/queue/rotational" "$s/queue/scheduler" "$s/size" "$s/queue/logical_block_size" "$s/queue/hw_sector_size" "$s"/holders/*/dm/name
  for p in "$s/${b##*/}"*; do
    [ -d "$p" ] || continue
    d "$p/holders"; f "$p/start" "$p/size" "$p/queue/logical_block_size" "$p/queue/hw_sector_size" "$p"/holders/*/dm/name
  done
done
if [ -e /etc/mtab ]; then mt=/etc/mtab; else mt=/proc/mounts; fi
f "$mt"; echo "mtab=$mt"
has findmnt && c findmnt findmnt --list --noheadings --notruncate
has lsblk && c lsblk lsblk --list --noheadings --paths --output NAME,UUID --exclude 2
while read -r dev mnt fs rest; do
  case $dev in /*|\\*|*:/*) ;; *) continue;; esac
  [ "$fs" = none ] && continue
  m=$(printf '%b' "$mnt")
  echo "statvfs=$(stat -f -c '%S %s %b %f %a %c %d' "$m" 2>/dev/null) $mnt"
  has udevadm && c "udevadm:$dev" udevadm info --query property --name "$dev"
done < "$mt"
if has ip; then
  echo "route=$(ip -4 route get 8.8.8.8 2>/dev/null | head -n 1)"
  echo "route6=$(ip -6 route get 2404:6800:400a:800::1012 2>/dev/null | head -n 1)"
else
  f /proc/net/route /proc/net/if_inet6 /proc/net/fib_trie
fi
echo "iforder=$(ls -AU /sys/class/net 2>/dev/null | tr '\n' ' ')"
for i in $(ls -AU /sys/class/net 2>/dev/null); do
  p=/sys/class/net/$i
  [ -d "$p" ] || continue
  f "$p/address" "$p/mtu" "$p/operstate" "$p/type" "$p/speed" "$p/flags" "$p/bridge/bridge_id" "$p/bridge/stp_state" "$p/bonding/slaves" "$p/bonding/mode" "$p/bonding/miimon" "$p/bonding/lacp_rate" "$p/bonding/primary" "$p/bonding/all_slaves_active" "$p/bonding_slave/perm_hwaddr"
  for x in bridge bonding bonding_slave; do [ -e "$p/$x" ] && echo "exists=$p/$x"; done
  [ -e "$p/device" ] && echo "ifdevice=$i $(basename "$(readlink "$p/device")")"
  [ -e "$p/device/driver/module" ] && echo "ifmodule=$i $(basename "$(readlink -f "$p/device/driver/module")")"
  d "$p/brif"
  if has ip; then
    c "ip:$i" ip addr show primary dev "$i"
    c "ip2:$i" ip addr show secondary dev "$i"
  fi
  if has ethtool; then c "ethtool-k:$i" ethtool -k "$i"; c "ethtool-T:$i" ethtool -T "$i"; fi
done
echo "end=1"
""";
}
