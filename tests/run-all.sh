#!/usr/bin/env bash
# Every test, on a fresh machine of this kind (run as root; .ci/run calls this):
#  1. installs what the tests need from Debian (apt-get update first),
#  2. brings the lab up (tests/lab/all-up.sh) and takes it down on exit (KEEP_LAB=1 keeps it),
#  3. runs every xunit test in Release (unit, module, templating, lab, cloud fakes),
#  4. runs the Ansible behaviour corpus through the built CLI (../shared/corpus/run-runner.sh),
#  5. runs public roles with Runner and ansible-playbook on twin booted hosts (tests/roles/run.sh),
#  6. runs 100 hosts x 50 tasks at forks 100 and checks every result arrived once (tests/load/run.sh).
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Lab").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "$(id -u)" = 0 ]; then
  apt-get update -o DPkg::Lock::Timeout=300
  apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 \
    openssh-server openssh-client iproute2 python3 sudo curl ansible python3-jmespath python3-netaddr rsync
  [ "${KEEP_LAB:-0}" = 1 ] || trap 'tests/lab/all-down.sh' EXIT
  NSPAWN_HOSTS=${NSPAWN_HOSTS:-7} tests/lab/all-up.sh
else
  echo "run-all.sh: not root: the lab is not brought up, lab tests will be skipped" >&2
fi

status=0
dotnet test Runner.sln -c Release "$@" </dev/null || status=1

dotnet build engine/Runner.Cli -c Release </dev/null
if [ -d ../shared/corpus ]; then
  RUNNER="dotnet $PWD/engine/Runner.Cli/bin/Release/net10.0/runner.dll" ../shared/corpus/run-runner.sh </dev/null || status=1
  [ "$(id -u)" = 0 ] && { RUNNER="dotnet $PWD/engine/Runner.Cli/bin/Release/net10.0/runner.dll" tests/roles/run.sh </dev/null || status=1; }
  [ "$(id -u)" = 0 ] && { RUNNER="dotnet $PWD/engine/Runner.Cli/bin/Release/net10.0/runner.dll" tests/load/run.sh </dev/null || status=1; }
else
  echo "run-all.sh: ../shared/corpus is absent: the behaviour corpus is skipped" >&2
fi
exit "$status"
