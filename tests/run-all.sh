#!/usr/bin/env bash
# Every test, on a fresh machine of this kind (run as root; .ci/run calls this):
#  1. installs what the tests need from Debian (apt-get update first),
#  2. brings the lab up (tests/lab/all-up.sh) and takes it down on exit (KEEP_LAB=1 keeps it),
#  3. runs every xunit test in Release (unit, module, templating, lab, cloud fakes),
#  4. publishes the Native AOT binary and runs the CLI-process tests again with it (RUNNER_CLI),
#  5. runs the Ansible behaviour corpus through the AOT binary (../shared/corpus/run-runner.sh),
#  6. runs public roles with Runner and ansible-playbook on twin booted hosts (tests/roles/run.sh),
#  7. runs 100 hosts x 50 tasks at forks 100 and checks every result arrived once (tests/load/run.sh).
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Lab").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "$(id -u)" = 0 ]; then
  apt-get update -o DPkg::Lock::Timeout=300
  apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 \
    openssh-server openssh-client iproute2 python3 sudo curl ansible python3-jmespath python3-netaddr rsync \
    clang zlib1g-dev
  [ "${KEEP_LAB:-0}" = 1 ] || trap 'tests/lab/all-down.sh' EXIT
  NSPAWN_HOSTS=${NSPAWN_HOSTS:-7} tests/lab/all-up.sh
else
  echo "run-all.sh: not root: the lab is not brought up, lab tests will be skipped" >&2
fi

status=0
dotnet test Runner.sln -c Release "$@" </dev/null || status=1

dotnet build engine/Runner.Cli -c Release </dev/null
export RUNNER="dotnet $PWD/engine/Runner.Cli/bin/Release/net10.0/runner.dll"

# The Native AOT binary (README "Install"): the tests that start the CLI as a process run again with it
# (RUNNER_CLI), and the corpus, the public roles and the load run use it.
mkdir -p out
if dotnet publish engine/Runner.Cli -c Release -r linux-x64 -p:PublishAot=true -o out/runner-aot </dev/null >out/aot-publish.log 2>&1; then
  RUNNER=$PWD/out/runner-aot/runner
  echo "run-all.sh: the CLI tests again with the Native AOT binary $RUNNER"
  RUNNER_CLI=$RUNNER dotnet test tests/Runner.Tests -c Release --no-build --filter "$(tr -d ' \n' <<'FILTER'
    FullyQualifiedName~Runner.Tests.Cli.|FullyQualifiedName~Runner.Tests.Vault.|FullyQualifiedName~Runner.Tests.Galaxy.|
    FullyQualifiedName~Runner.Tests.Lab.FaultLabTests|FullyQualifiedName~Runner.Tests.Lab.SshTraceLabTests|
    FullyQualifiedName~AtomicWriteLabTests|FullyQualifiedName~InterruptLabTests|FullyQualifiedName~ProbeRoundTripLabTests|
    FullyQualifiedName~BareHostLabTests|FullyQualifiedName~ConfigAndFactCacheTests|FullyQualifiedName~DifferentialTests
FILTER
)" </dev/null || status=1
else
  tail -n 40 out/aot-publish.log; echo "run-all.sh: the Native AOT publish failed" >&2; status=1
fi

if [ -d ../shared/corpus ]; then
  ../shared/corpus/run-runner.sh </dev/null || status=1
  [ "$(id -u)" = 0 ] && { tests/roles/run.sh </dev/null || status=1; }
  [ "$(id -u)" = 0 ] && { tests/load/run.sh </dev/null || status=1; }
else
  echo "run-all.sh: ../shared/corpus is absent: the behaviour corpus is skipped" >&2
fi
exit "$status"
