#!/usr/bin/env bash
# The project's test command: every xunit test of the solution in Release. Lab tests run when the SSH lab is
# up (sudo tests/lab/up.sh), and are skipped with the reason otherwise. Extra arguments go to `dotnet test`
# (e.g. --filter "FullyQualifiedName~Lab").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet test Runner.sln -c Release "$@"
