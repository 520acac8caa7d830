#!/usr/bin/env bash
# Load (issue 15 item 5): 100 hosts x 50 tasks at forks 100 on one controller, every result accounted for.
#
#   RUNNER="dotnet /path/to/runner.dll" tests/load/run.sh        # as root; tests/run-all.sh calls it in CI
#
# Brings up a lab of its own (tests/lab/up.sh: LOAD_HOSTS network-namespace hosts, each with its own sshd, on bridge
# labbrl, 10.254.0.0/24), runs ../shared/bench/bench50.yml with `-f LOAD_HOSTS` twice (first run, then idempotent)
# with the transcript callback, and checks that every task reported exactly one result for every host (none lost,
# none twice), that the recap has every host with failed=0 unreachable=0, and that the second run changed nothing.
# Prints the wall time and peak RSS of each run (for bench/RESULTS.md; this script asserts no time), then
# "load: OK" or what was wrong. The lab is taken down at the end (LOAD_KEEP=1 keeps it).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PLAYDIR=$ROOT/../shared/bench
[ -f "$PLAYDIR/bench50.yml" ] || { echo "load: $PLAYDIR/bench50.yml is absent: the load test is skipped" >&2; exit 0; }
: "${RUNNER:?set RUNNER to the runner command}"
N=${LOAD_HOSTS:-100}
WORK=${LOAD_WORK:-/tmp/runner-load-lab}
export LAB_STATE=$WORK/lab LAB_HOSTS=$N LAB_BRIDGE=labbrl LAB_NET=10.254.0 LAB_PREFIX=rld
source "$ROOT/bench/lib.sh"
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 time >&2
mkdir -p "$WORK"
[ "${LOAD_KEEP:-0}" = 1 ] || trap '"$ROOT/tests/lab/down.sh" >/dev/null 2>&1' EXIT
"$ROOT/tests/lab/up.sh" >/dev/null || { echo "load: the lab did not come up" >&2; exit 1; }
write_inventory "$LAB_STATE" "$N" "$LAB_NET" "$LAB_PREFIX" "$WORK/inventory.yml"
rm -rf "$WORK/hosts"

status=0
for run in first idempotent; do
  log=$WORK/$run.log
  (cd "$PLAYDIR" && RUNNER_STDOUT_CALLBACK=transcript NO_COLOR=1 /usr/bin/time -f '%e %M' -o "$WORK/time.$run" \
    $RUNNER play -i "$WORK/inventory.yml" -f "$N" bench50.yml) > "$log" 2>&1
  rc=$?
  read -r secs kb < <(tail -n 1 "$WORK/time.$run")
  echo "load: $N hosts, $run run: rc=$rc, ${secs} s, $((kb / 1024)) MB peak"
  python3 - "$log" "$N" "$run" <<'PY' || status=1
import re, sys, collections
log, n, run = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(log).read().split("\n")
tasks, current, recap, problems = [], None, {}, []
in_recap = False
for line in lines:
    if line.startswith("TASK [") or line.startswith("HANDLER ["):
        current = collections.Counter(); tasks.append((line, current)); continue
    if line == "RECAP": in_recap = True; continue
    m = re.match(r"^  (\S+): (ok=.*)$", line) if in_recap else None
    if m: recap[m.group(1)] = dict(kv.split("=") for kv in m.group(2).split()); continue
    m = re.match(r"^  (\S+?)(?: -> \S+)?: (ok|changed|skipped|failed|failed \(ignored\)|unreachable)$", line)
    if m and current is not None: current[m.group(1)] += 1
for name, counts in tasks:
    if len(counts) != n: problems.append(f"{name}: results for {len(counts)} hosts, not {n}")
    twice = [h for h, c in counts.items() if c > 1]
    if twice: problems.append(f"{name}: more than one result for {twice[:5]}")
if len(recap) != n: problems.append(f"recap lists {len(recap)} hosts, not {n}")
for h, r in recap.items():
    if r["failed"] != "0" or r["unreachable"] != "0": problems.append(f"recap {h}: failed={r['failed']} unreachable={r['unreachable']}")
    if run == "idempotent" and r["changed"] != "0": problems.append(f"recap {h}: changed={r['changed']} on the idempotent run")
if len(tasks) < 50: problems.append(f"only {len(tasks)} tasks ran")
for p in problems[:20]: print("load: " + p)
sys.exit(1 if problems else 0)
PY
  [ "$rc" = 0 ] || { status=1; tail -n 20 "$log" | sed 's/^/load:   /'; }
done
[ "$status" = 0 ] && echo "load: OK" || echo "load: FAILED (logs in $WORK)"
exit "$status"
