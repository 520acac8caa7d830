#!/usr/bin/env bash
# Stand-ins for the seed project on the booted lab hosts (idempotent; run after tests/lab/nspawn/up.sh):
#  - a static-web-server release tarball (a python stand-in taking the same flags), served by the lab's
#    HTTP repository, with its sha256;
#  - a kubectl stand-in and the cluster's OIDC discovery documents on every booted host (no k3s here);
#  - an inventory that names the first booted host k3s-cluster (the seed's host name), and extra vars
#    pointing the playbook at the lab's tarball.
# Prints the inventory and vars file paths.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/../nspawn/conf.sh"
INV=$NS_STATE/inventory.yml
[ -f "$INV" ] || { echo "seed/up.sh: the booted-Debian lab is not up ($INV missing); skipping"; exit 0; }
REPO=/var/cache/runner-lab/apt-repo
VERSION=v2.28.0
NAME=static-web-server-$VERSION-x86_64-unknown-linux-gnu
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/$NAME"
install -m 0755 "$HERE/static-web-server.py" "$work/$NAME/static-web-server"
tar -C "$work" --owner=0 --group=0 --mtime=2024-01-01 -czf "$work/$NAME.tar.gz" "$NAME"
if ! cmp -s "$work/$NAME.tar.gz" "$REPO/$NAME.tar.gz" 2>/dev/null; then cp "$work/$NAME.tar.gz" "$REPO/$NAME.tar.gz"; fi
sum=$(sha256sum "$REPO/$NAME.tar.gz" | cut -d' ' -f1)
echo "$sum  $NAME.tar.gz" > "$REPO/static-web-server-$VERSION-SHA256SUM"

key=$NS_STATE/client_ed25519
kh=$NS_STATE/known_hosts
issuer=https://oidc.example.test
for i in $(seq 1 "$NS_HOSTS"); do
  ip=$(ns_ip "$i")
  ssh -i "$key" -o UserKnownHostsFile="$kh" -o BatchMode=yes "root@$ip" sh -s <<REMOTE
set -e
mkdir -p /etc/runner-lab/oidc
cat > /etc/runner-lab/oidc/openid-configuration <<'JSON'
{"issuer":"$issuer","jwks_uri":"$issuer/openid/v1/jwks","response_types_supported":["id_token"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}
JSON
cat > /etc/runner-lab/oidc/jwks <<'JSON'
{"keys":[{"use":"sig","kty":"RSA","kid":"runner-lab","alg":"RS256","n":"u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw","e":"AQAB"}]}
JSON
REMOTE
  ssh -i "$key" -o UserKnownHostsFile="$kh" -o BatchMode=yes "root@$ip" "cat > /usr/local/bin/kubectl && chmod 0755 /usr/local/bin/kubectl" < "$HERE/kubectl.sh"
done

first_ip=$(ns_ip 1)
cat > "$NS_STATE/seed-inventory.yml" <<YAML
# Written by tests/lab/seed/up.sh: the seed's node name on the first booted lab host.
k8s:
  hosts:
    k3s-cluster:
      ansible_host: $first_ip
      ansible_user: root
      ansible_ssh_private_key_file: $key
      ansible_ssh_common_args: "-o UserKnownHostsFile=$kh"
YAML
cat > "$NS_STATE/seed-vars.yml" <<YAML
# Written by tests/lab/seed/up.sh: the lab's static-web-server tarball (a stand-in) and its checksum.
static_web_server_download_url: http://$LAB_NET.1:$NS_REPO_PORT/$NAME.tar.gz
static_web_server_checksum: "sha256:$sum"
YAML
echo "seed/up.sh: inventory $NS_STATE/seed-inventory.yml"
echo "seed/up.sh: extra vars $NS_STATE/seed-vars.yml"
