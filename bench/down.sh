#!/bin/bash
# Takes the bench's own labs down (run as root): the 10-host lab on labbrb and the 100-host lab on labbrg.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${BENCH_WORK:-/tmp/runner-bench-lab}
[ -d "$WORK/lab" ] && LAB_STATE=$WORK/lab LAB_HOSTS=10 LAB_BRIDGE=labbrb LAB_NET=10.252.0 LAB_PREFIX=rbn "$ROOT/tests/lab/down.sh"
[ -d "$WORK/lab100" ] && LAB_STATE=$WORK/lab100 LAB_HOSTS=100 LAB_BRIDGE=labbrg LAB_NET=10.253.0 LAB_PREFIX=rbg "$ROOT/tests/lab/down.sh"
exit 0
