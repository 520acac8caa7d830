#!/bin/bash
# The 50-task benchmark: Runner (published single-file binary) against ansible-playbook 2.14 from Debian
# (pipelining on, ControlPersist), on the SSH lab's network-namespace hosts. Run as root from anywhere:
#   bench/run.sh            # 1 host and 10 hosts (forks=10), 3 repetitions each, both tools
#   BENCH_REPS=1 bench/run.sh
#   BENCH_BIG=1 bench/run.sh   # also 100 hosts, forks=100 (Runner only), on a second lab bridge
# Options (environment): BENCH_REPS (3), BENCH_TOOLS ("runner ansible"; also runner-aot with RUNNER_AOT_BIN, runner-base
# with RUNNER_BASE_BIN: other Runner builds side by side), BENCH_STARTUP_REPS (5), BENCH_SIZES ("1 10"),
# BENCH_BIG (0), BENCH_SSH_ARGS (extra ssh options for both tools, e.g. "-o KexAlgorithms=curve25519-sha256"), BENCH_OUT (bench/RESULTS.md is written only when BENCH_WRITE=1), RUNNER_BIN (out/runner/runner;
# published when missing or older than the sources).
# The lab hosts are network namespaces with their own sshd on bridges of the bench's own (labbrb 10.252.0.0/24, and
# labbrg 10.253.0.0/24 for 100 hosts), state in $BENCH_WORK (/tmp/runner-bench-lab); bench/down.sh takes them down.
# Reads the playbook, templates and baseline from ../shared/bench (never copied into the repo).
# Prints a table: median wall time of each run kind for each tool, the ratio, and Runner's peak RSS.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
PLAYDIR=$SHARED/bench
[ -f "$PLAYDIR/bench50.yml" ] || { echo "run.sh: $PLAYDIR/bench50.yml not found (needs ../shared)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run.sh: must run as root (starts the lab)" >&2; exit 1; }
REPS=${BENCH_REPS:-3}
TOOLS=${BENCH_TOOLS:-"runner ansible"}
SIZES=${BENCH_SIZES-"1 10"}
WORK=${BENCH_WORK:-/tmp/runner-bench-lab}
RUNNER_BIN=${RUNNER_BIN:-$ROOT/out/runner/runner}
RUNNER_AOT_BIN=${RUNNER_AOT_BIN:-$ROOT/out/runner-aot/runner}
source "$ROOT/bench/lib.sh"

install_tools
publish_runner
case " $TOOLS " in *" runner-aot "*) publish_runner_aot ;; esac
mkdir -p "$WORK"
[ "${BENCH_APPEND:-0}" = 1 ] || : > "$WORK/results.tsv"   # BENCH_APPEND=1 adds to the previous invocation's rows

# The lab: 10 namespace hosts on a bridge of the bench's own (other worktrees' labs use labbr0); 1-host runs use the first.
LAB_STATE=$WORK/lab LAB_HOSTS=10 LAB_BRIDGE=labbrb LAB_NET=10.252.0 LAB_PREFIX=rbn "$ROOT/tests/lab/up.sh" >/dev/null
write_inventory "$WORK/lab" 10 10.252.0 rbn "$WORK/inventory.yml"
write_ansible_cfg "$WORK/ansible.cfg" 10

for n in $SIZES; do
  limit=$(limit_for "$n" rbn)
  for rep in $(seq 1 "$REPS"); do
    for tool in $TOOLS; do
      bench_series "$tool" "$n" "$limit" "$rep" "$WORK/inventory.yml" "$n"
    done
  done
done

if [ "${BENCH_BIG:-0}" = 1 ]; then
  big_state=$WORK/lab100
  LAB_STATE=$big_state LAB_HOSTS=100 LAB_BRIDGE=labbrg LAB_NET=10.253.0 LAB_PREFIX=rbg "$ROOT/tests/lab/up.sh" >/dev/null
  write_inventory "$big_state" 100 10.253.0 rbg "$WORK/inventory100.yml"
  for rep in $(seq 1 "$REPS"); do
    bench_series runner 100 all "$rep" "$WORK/inventory100.yml" 100
  done
fi

: > "$WORK/startup.tsv"
startup_times "$TOOLS" "${BENCH_STARTUP_REPS:-5}" "$WORK/startup.tsv"
{ report "$WORK/results.tsv"; if [ -s "$WORK/startup.tsv" ]; then echo; echo "Start-up (median of ${BENCH_STARTUP_REPS:-5}, wall clock):"; echo; startup_report "$WORK/startup.tsv"; fi; } | tee "$WORK/table.md"
if [ "${BENCH_WRITE:-0}" = 1 ]; then write_results "$WORK/table.md" "$ROOT/bench/RESULTS.md"; fi
