#!/usr/bin/env bash
# The main job on this machine, with nothing but this machine (run as root):
#  1. builds Runner,
#  2. brings up the lab: a booted Debian host (systemd as PID 1) on a private bridge, a local ACME CA (pebble),
#     and stand-ins for what needs the internet or a k3s API server (a static-web-server tarball, kubectl),
#  3. runs playbooks/site.yml against that host: users, systemd units, a certificate from the local CA, the
#     static web server publishing /.well-known/openid-configuration and /openid/v1/jwks over HTTPS,
#  4. fetches those two documents from the host, and runs the playbook a second time (it changes nothing).
# The lab stays up afterwards for you to look around (ssh command printed); `sudo tests/lab/all-down.sh` stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root (it creates network namespaces and boots a container)" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "building Runner"
dotnet build engine/Runner.Cli -c Release -v q -nologo </dev/null | tail -2
runner() { dotnet engine/Runner.Cli/bin/Release/net10.0/runner.dll "$@"; }

say "bringing the lab up (the first time builds a Debian root file system: a few minutes)"
NSPAWN_HOSTS=${NSPAWN_HOSTS:-1} tests/lab/all-up.sh
S=tests/lab/nspawn/.state
[ -f "$S/seed-inventory.yml" ] || { echo "demo.sh: the booted-Debian lab could not be brought up (see above)" >&2; exit 1; }
host=$(sed -n 's/^ *ansible_host: //p' "$S/seed-inventory.yml" | head -1)
domain=$(sed -n 's/^domain_name: //p' inventory/group_vars/all.yml)
curl -s -X POST -d "{\"host\":\"$domain\"}" http://127.0.0.1:8055/clear-a >/dev/null
curl -s -X POST -d "{\"host\":\"$domain\",\"addresses\":[\"$host\"]}" http://127.0.0.1:8055/add-a >/dev/null

say "runner vars k3s-cluster --explain (where each value comes from)"
runner vars k3s-cluster -i inventory -i "$S/seed-inventory.yml" --playbook playbooks/site.yml --explain | grep -A3 -E '^(domain_name|acme_home|static_web_server_port) '

say "first run: runner play -i inventory -i $S/seed-inventory.yml -e @$S/seed-vars.yml playbooks/site.yml"
runner play -i inventory -i "$S/seed-inventory.yml" -e "@$S/seed-vars.yml" playbooks/site.yml

say "the node publishes its OIDC issuer over HTTPS (certificate from the lab's ACME CA)"
ssh_host() { ssh -i "$S/client_ed25519" -o UserKnownHostsFile="$S/known_hosts" -o BatchMode=yes "root@$host" "$@"; }
ssh_host "curl -sk --resolve $domain:443:127.0.0.1 https://$domain/.well-known/openid-configuration; echo"
ssh_host "curl -sk --resolve $domain:443:127.0.0.1 https://$domain/openid/v1/jwks | cut -c1-120; echo ..."
ssh_host "echo | openssl s_client -connect 127.0.0.1:443 -servername $domain 2>/dev/null | openssl x509 -noout -subject -issuer -enddate"

say "second run (the same command): nothing changes (\"Install cilium\" needs a k3s cluster: failed and ignored)"
runner play -i inventory -i "$S/seed-inventory.yml" -e "@$S/seed-vars.yml" playbooks/site.yml | tail -4

say "done: the lab is still up"
echo "look around:  ssh -i $S/client_ed25519 -o UserKnownHostsFile=$S/known_hosts root@$host"
echo "stop the lab: sudo tests/lab/all-down.sh"
