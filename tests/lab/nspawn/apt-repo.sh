#!/usr/bin/env bash
# The booted hosts' apt repository (idempotent): a few tiny packages fetched with apt-get download,
# indexed with dpkg-scanpackages and served by python3 -m http.server on the bridge address.
# Uses the machine's own apt (and its network) once; the packages are cached under /var/cache/runner-lab/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/conf.sh"
REPO=/var/cache/runner-lab/apt-repo
PKGS=(hello tree python3-apt python-apt-common distro-info-data)  # python3-apt: what ansible's apt module installs on demand
# git, rsync, iptables and ufw with the dependencies the rootfs lacks: the git, synchronize, iptables and ufw lab tests
# install them on rdeb1 (System/VcsAndNetworkModulesLabTests)
PKGS+=(git git-man liberror-perl libcurl3-gnutls perl perl-base perl-modules-5.36 libperl5.36 libgdbm6 libgdbm-compat4
       rsync libpopt0 iptables libip6tc2 libnetfilter-conntrack3 libnfnetlink0 libnftnl11 netbase ufw)
# gpg and gpg-agent with what the rootfs lacks of their dependencies: apt_key (apt-key and Ansible's module) needs them (System/AptRepositoryLabTests)
PKGS+=(gpg gpgconf libassuan0 gpg-agent libnpth0 pinentry-curses)
mkdir -p "$REPO"
missing=()
for p in "${PKGS[@]}"; do ls "$REPO/${p}_"*.deb >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  (cd "$REPO" && apt-get download "${missing[@]}" >/dev/null 2>&1) ||
    { apt-get update >/dev/null 2>&1 && (cd "$REPO" && apt-get download "${missing[@]}" >/dev/null); }
fi
# the index is replaced atomically: running hosts may be reading it
(cd "$REPO" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null > Packages.new && gzip -9nc Packages.new > Packages.gz.new &&
  mv -f Packages.new Packages && mv -f Packages.gz.new Packages.gz)
pidf=$NS_STATE/apt-repo.pid
if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; then
  echo "nspawn/apt-repo.sh: repository already served at http://$LAB_NET.1:$NS_REPO_PORT/"
  exit 0
fi
setsid python3 -m http.server "$NS_REPO_PORT" --bind "$LAB_NET.1" --directory "$REPO" </dev/null >"$NS_STATE/apt-repo.log" 2>&1 &
echo $! > "$pidf"
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/$LAB_NET.1/$NS_REPO_PORT") 2>/dev/null && break; sleep 0.05; done
echo "nspawn/apt-repo.sh: serving $REPO ($(ls "$REPO" | grep -c '\.deb$') packages) at http://$LAB_NET.1:$NS_REPO_PORT/ (pid $(cat "$pidf"))"
