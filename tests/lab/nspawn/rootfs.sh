#!/usr/bin/env bash
# Builds (or reuses) the booted-Debian lab's root file system: Debian bookworm, minbase, with systemd as
# PID 1, sshd, certbot and the archive tools the system modules need. Cached as a tarball under
# /var/cache/runner-lab/ so later runs unpack it in seconds.
# Usage: rootfs.sh DIR   -> DIR holds the root file system (exit 0); exit 3 when no mirror is reachable.
set -euo pipefail
DIR=${1:?usage: rootfs.sh DIR}
CACHE=${LAB_ROOTFS_CACHE:-/var/cache/runner-lab}
TARBALL=$CACHE/bookworm-systemd-v1.tar.zst
PKGS=systemd,systemd-sysv,dbus,openssh-server,iproute2,sudo,python3,curl,ca-certificates,certbot,python3-cffi-backend,tar,xz-utils,zstd,unzip

if [ -f "$DIR/.runner-rootfs" ]; then echo "rootfs: $DIR ready"; exit 0; fi

# The mirror apt uses on this machine (deb822 sources first, then the classic list).
mirror() {
  local m
  m=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -m1 '/debian/\?$' || true)
  [ -n "$m" ] || m=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' | grep -m1 '/debian/\?$' || true)
  echo "${m:-http://deb.debian.org/debian}"
}

mkdir -p "$DIR" "$CACHE"
if [ ! -f "$TARBALL" ]; then
  MIRROR=$(mirror)
  if ! curl -fsS -m 15 -o /dev/null "$MIRROR/dists/bookworm/Release"; then
    echo "rootfs: mirror $MIRROR unreachable; the booted-Debian lab is skipped" >&2; exit 3
  fi
  BUILD=$CACHE/build.$$
  rm -rf "$BUILD"
  echo "rootfs: debootstrap bookworm from $MIRROR (a few minutes, cached afterwards)"
  debootstrap --variant=minbase --include=$PKGS bookworm "$BUILD" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
    { echo "rootfs: debootstrap failed (see $CACHE/debootstrap.log)" >&2; rm -rf "$BUILD"; exit 3; }
  rm -f "$BUILD"/var/cache/apt/archives/*.deb
  : > "$BUILD/etc/machine-id"                          # each boot gets its own id
  ln -sf /etc/machine-id "$BUILD/var/lib/dbus/machine-id"
  rm -f "$BUILD/etc/hostname"                          # nspawn's -M name becomes the hostname
  tar -C "$BUILD" --numeric-owner -cpf - . | zstd -T0 -3 -q > "$TARBALL.tmp"
  mv "$TARBALL.tmp" "$TARBALL"
  rm -rf "$BUILD"
fi
tar -C "$DIR" --zstd --numeric-owner -xpf "$TARBALL"
touch "$DIR/.runner-rootfs"
echo "rootfs: $DIR unpacked from $TARBALL"
