#!/usr/bin/env bash
# Public roles, Runner against ansible-playbook 2.14 on twin booted Debian hosts (issue 10's role differential).
#
#   RUNNER="dotnet /path/to/runner.dll" tests/roles/run.sh        # as root; tests/run-all.sh calls it in CI
#
# Runs ../shared/corpus/run-roles.sh twice: over the shared items (Ansible's results recorded there) and over
# tests/roles/items (public roles vendored here with their LICENSE; no recording is kept: ansible-playbook runs
# live beside Runner, so nothing can go stale). Then it judges every item itself from run-roles.sh's outputs:
# the transcripts (run1, run2, check) must be equal byte for byte; the end states (state1, state-check) must be
# equal after normalise-state.sh, which masks only content that is random on every install (listed there with
# the reason). Prints "PASS name" or "FAIL name (what differs)" with the diff, then "N/N roles match".
# Settings: RR_* as run-roles.sh (two instances here use RR_HOST rrs and rrp, so a run-roles.sh of your own
# with its defaults can run beside it).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CORPUS=$HERE/../../../shared/corpus
[ -x "$CORPUS/run-roles.sh" ] || { echo "roles/run.sh: $CORPUS/run-roles.sh is absent: the role differential is skipped" >&2; exit 0; }
: "${RUNNER:?set RUNNER to the runner command}"

ok=0; total=0
# judge NAME EXPECTED_DIR GOT_DIR
judge() {
  local n=$1 e=$2 g=$3 bad= f
  total=$((total + 1))
  for f in run1.tr run2.tr check.tr; do
    diff -u "$e/$f" "$g/$f" >"$g/$f.judged.diff" 2>&1 || bad="$bad ${f%.tr}"; done
  for f in state1.txt state-check.txt; do
    diff -u <("$HERE/normalise-state.sh" <"$e/$f") <("$HERE/normalise-state.sh" <"$g/$f") >"$g/$f.judged.diff" 2>&1 || bad="$bad ${f%.txt}"; done
  if [ -z "$bad" ]; then echo "PASS $n"; ok=$((ok + 1)); return; fi
  echo "FAIL $n (${bad# })"
  for f in run1.tr run2.tr check.tr state1.txt state-check.txt; do
    [ -s "$g/$f.judged.diff" ] && tail -n +3 "$g/$f.judged.diff" | head -20 | sed "s/^/    $f: /"; done
}

# run ITEMS_DIR HOSTNAME NET PORT BRIDGE
run() {
  local items=$1 hn=$2 w=/tmp/run-roles-$2 n
  RR_HOST=$hn RR_NET=$3 RR_PORT=$4 RR_BRIDGE=$5 RR_WORK=$w "$CORPUS/run-roles.sh" --items "$items" </dev/null \
    | grep -E '^(PASS|FAIL|RECORDED|[0-9]+/[0-9]+ roles)' | sed 's/^/  run-roles: /'
  for n in $(cd "$items" && ls); do
    [ -d "$items/$n/roles" ] || continue
    local e=$items/$n/expected; [ -f "$e/run1.tr" ] || e=$w/out/$n.ansible
    if [ -f "$w/out/$n/run1.tr" ] && [ -f "$e/run1.tr" ]; then judge "$n" "$e" "$w/out/$n"
    else total=$((total + 1)); echo "FAIL $n (no results: see $w)"; fi
  done
}

run "$CORPUS/roles" rrs 10.250.41 8091 rrsbr0
run "$HERE/items" rrp 10.250.42 8092 rrpbr0
echo "$ok/$total roles match"
[ "$ok" = "$total" ]
