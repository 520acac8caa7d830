#!/usr/bin/env bash
# Records ansible-galaxy 2.14's output and install layout for tests/galaxy/steps.txt on the fixtures of
# tests/galaxy/make-fixtures.sh (offline: git file:// URLs, tar.gz archives, folders). Run from anywhere:
#   ./tests/ansible-recordings/record-galaxy.sh
# Writes tests/ansible-recordings/galaxy/STEP.txt (stdout, "rc: N", the ERROR! line if any, the fixtures folder as
# $DIR) and layout.txt (every installed path, each .galaxy_install_info with its date as DATE), then
# play-site.txt and play-short.txt: ansible-playbook's output for the fixtures' site.yml and short.yml after the first install.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/galaxy"
dir="$(mktemp -d)/fx"
"$repo/tests/galaxy/make-fixtures.sh" "$dir"
mkdir -p "$out" "$dir/home"
# PYTHONHASHSEED: collection list walks a set of paths; a fixed seed keeps the recording stable (the test compares
# its path blocks in any order)
export PYTHONHASHSEED=0 HOME="$dir/home" ANSIBLE_CONFIG="$dir/ansible.cfg" ANSIBLE_NOCOLOR=1 ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false LC_ALL=C.UTF-8
cd "$dir"
norm() { sed "s#$dir#\$DIR#g"; }
while read -r name args; do
  case "$name" in ''|'#'*) continue ;; esac
  args="${args//\$DIR/$dir}"
  # shellcheck disable=SC2086
  ansible-galaxy $args >stdout.tmp 2>stderr.tmp
  rc=$?
  { cat stdout.tmp; echo "rc: $rc"; grep -m1 '^ERROR! ' stderr.tmp | sed 's/^/error: /'; } | norm > "$out/$name.txt"
  if [ "$name" = install-r ]; then
    for pb in site short; do
      ansible-playbook -i localhost, "$pb.yml" 2>&1 | norm > "$out/play-$pb.txt"; echo "rc: ${PIPESTATUS[0]}" >> "$out/play-$pb.txt"
    done
  fi
done < "$repo/tests/galaxy/steps.txt"
rm -f stdout.tmp stderr.tmp
{
  find home/.ansible/roles home/.ansible/collections roles2 roles4 colls colls2 2>/dev/null | LC_ALL=C sort
  for f in $(find home/.ansible/roles roles2 roles4 -name .galaxy_install_info | LC_ALL=C sort); do
    echo "== $f"; sed 's/^install_date: .*/install_date: DATE/' "$f"
  done
} | norm > "$out/layout.txt"
echo "recorded in $out"
