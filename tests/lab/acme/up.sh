#!/usr/bin/env bash
# The lab's ACME CA (idempotent; run as root): pebble at https://<bridge address>:14000/dir with real http-01
# validation on port 80, and pebble-challtestsrv as its DNS, answering every name with the first booted
# host's address (so a certificate for any *.lab.test name is validated against that host's port 80).
# Pebble's own TLS uses a small lab CA made here with openssl; the CA is installed into every running
# booted host (update-ca-certificates) so certbot there trusts pebble. Prints what it started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../nspawn/conf.sh"
[ "$(id -u)" = 0 ] || { echo "acme/up.sh: must run as root" >&2; exit 1; }
say() { echo "acme/up.sh: $*"; }
command -v pebble >/dev/null && command -v pebble-challtestsrv >/dev/null ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 pebble >&2 ||
  { say "pebble is not installable; the ACME lab is skipped"; exit 0; }
A=$NS_STATE/acme; mkdir -p "$A/tls"
BR=$LAB_NET.1
if [ ! -f "$A/tls/cert.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj /CN=runner-lab-ca \
    -keyout "$A/tls/ca.key" -out "$A/tls/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=pebble.lab \
    -keyout "$A/tls/key.pem" -out "$A/tls/leaf.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:%s\nextendedKeyUsage=serverAuth\n' "$BR" > "$A/tls/ext.cnf"
  openssl x509 -req -in "$A/tls/leaf.csr" -CA "$A/tls/ca.pem" -CAkey "$A/tls/ca.key" -CAcreateserial -days 365 \
    -extfile "$A/tls/ext.cnf" -out "$A/tls/cert.pem" 2>/dev/null
fi
cat > "$A/pebble.json" <<CFG
{ "pebble": { "listenAddress": "$BR:14000", "managementListenAddress": "127.0.0.1:15000",
  "certificate": "$A/tls/cert.pem", "privateKey": "$A/tls/key.pem",
  "httpPort": 80, "tlsPort": 443, "ocspResponderURL": "", "externalAccountBindingRequired": false } }
CFG
running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if ! running "$A/challtestsrv.pid"; then
  setsid pebble-challtestsrv -dns01 127.0.0.1:8053 -http01 '' -https01 '' -tlsalpn01 '' \
    -management 127.0.0.1:8055 -defaultIPv4 "$(ns_ip 1)" -defaultIPv6 '' </dev/null >"$A/challtestsrv.log" 2>&1 &
  echo $! > "$A/challtestsrv.pid"; say "started pebble-challtestsrv (pid $!, DNS 127.0.0.1:8053, every name -> $(ns_ip 1))"
fi
if ! running "$A/pebble.pid"; then
  PEBBLE_VA_NOSLEEP=1 PEBBLE_VA_ALWAYS_VALID=0 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 \
    setsid pebble -config "$A/pebble.json" -dnsserver 127.0.0.1:8053 </dev/null >"$A/pebble.log" 2>&1 &
  echo $! > "$A/pebble.pid"; say "started pebble (pid $!, https://$BR:14000/dir)"
fi
for hp in "$BR:14000" 127.0.0.1:8055; do
  for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/${hp%:*}/${hp#*:}") 2>/dev/null && break; sleep 0.05; done
done
# trust the lab CA inside every running booted host; certbot there finds pebble through cli.ini
for d in "$NS_RUN"/*/; do
  [ -f "$d/leader.pid" ] || continue
  install -D -m 644 "$A/tls/ca.pem" "$d/merged/usr/local/share/ca-certificates/runner-lab-ca.crt"
  nsenter -t "$(cat "$d/leader.pid")" -a update-ca-certificates >/dev/null 2>&1 || say "update-ca-certificates failed in $(basename "$d")"
  mkdir -p "$d/merged/etc/letsencrypt"
  printf 'server = https://%s:14000/dir\n' "$BR" > "$d/merged/etc/letsencrypt/cli.ini"
  say "$(basename "$d") trusts the lab CA"
done
echo "$BR" > "$A/listen"
say "ACME directory https://$BR:14000/dir (lab CA $A/tls/ca.pem)"
