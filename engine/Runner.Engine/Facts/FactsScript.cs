namespace Runner.Engine.Facts;

/// <summary>
/// The one batched POSIX sh script that <see cref="FactsProbe"/> runs on a target to gather facts.
/// Needs only sh, coreutils, /proc, /sys, uname, id and hostname (ip and getent are used when present);
/// no python. Prints one <c>key=value</c> line per item; repeated keys (<c>addr</c>, <c>if</c>) carry one
/// item each; the environment travels base64-encoded (NUL-separated, as /proc/self/environ).
/// </summary>
public static class FactsScript
{
    /// <summary>The script text (run as <c>sh -c SCRIPT</c>).</summary>
    public const string Text = """
env_b64=$(base64 < /proc/self/environ 2>/dev/null | tr -d '\n')
echo "env_b64=$env_b64"
LC_ALL=C; export LC_ALL
echo "system=$(uname -s)"
echo "kernel=$(uname -r)"
echo "kernel_version=$(uname -v)"
echo "machine=$(uname -m)"
n=$(uname -n); echo "nodename=$n"
fq=""
if command -v getent >/dev/null 2>&1; then
  a=$(getent hosts "$n" 2>/dev/null | awk 'NR==1{print $1}')
  [ -n "$a" ] && fq=$(getent hosts "$a" 2>/dev/null | awk 'NR==1{for(i=2;i<=NF;i++) if (index($i,".")) {print $i; exit}; print $2}')
fi
[ -n "$fq" ] || fq=$(hostname -f 2>/dev/null) || true
echo "fqdn=${fq:-$n}"
echo "user_id=$(id -un)"
echo "user_uid=$(id -u)"
echo "user_gid=$(id -g)"
if [ -r /etc/os-release ]; then
  sed -n 's/^\(ID\|VERSION_ID\|VERSION_CODENAME\|NAME\|ID_LIKE\|VERSION\)=/osr_\1=/p' /etc/os-release
fi
[ -r /etc/debian_version ] && echo "debian_version=$(cat /etc/debian_version)"
[ -r /etc/redhat-release ] && echo "redhat_release=$(cat /etc/redhat-release)"
[ -r /etc/alpine-release ] && echo "alpine_release=$(cat /etc/alpine-release)"
echo "vcpus=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)"
echo "memtotal_kb=$(awk '/^MemTotal:/{print $2}' /proc/meminfo 2>/dev/null)"
echo "proc1=$(cat /proc/1/comm 2>/dev/null)"
[ -d /run/systemd/system ] && echo "systemd_booted=1"
[ -e /sbin/openrc ] && echo "openrc=1"
[ -d /etc/init.d ] && echo "initd=1"
for p in apt-get dnf yum zypper apk pacman; do command -v "$p" >/dev/null 2>&1 && echo "pkg=$p"; done
e=$(date +%s)
echo "epoch=$e"
echo "nanos=$(date +%N 2>/dev/null)"
echo "local=$(date -d "@$e" '+%Y %m %d %H %M %S %z %Z %A %w %W' 2>/dev/null || date '+%Y %m %d %H %M %S %z %Z %A %w %W')"
y=$(date -d "@$e" +%Y 2>/dev/null || date +%Y)
echo "tz_jan=$(date -d "$y-01-01 12:00" '+%z %Z' 2>/dev/null)"
echo "tz_jul=$(date -d "$y-07-01 12:00" '+%z %Z' 2>/dev/null)"
if command -v ip >/dev/null 2>&1; then
  echo "route=$(ip -4 route get 8.8.8.8 2>/dev/null | head -n 1)"
  ip -4 -o addr show 2>/dev/null | while read -r idx ifn fam cidr rest; do echo "addr=$ifn $cidr $rest"; done
else
  awk 'NR>1 && $2=="00000000" {print "route4=" $1 " " $3; exit}' /proc/net/route 2>/dev/null
fi
echo "iforder=$(ls -U /sys/class/net 2>/dev/null | tr '\n' ' ')"
for d in /sys/class/net/*; do
  [ -e "$d/address" ] || continue
  echo "if=${d##*/} $(cat "$d/address" 2>/dev/null) $(cat "$d/mtu" 2>/dev/null) $(cat "$d/type" 2>/dev/null)"
done
echo "end=1"
""";
}
