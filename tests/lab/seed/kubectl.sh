#!/bin/sh
# Lab stand-in for kubectl without a k3s API server: answers the two calls the seed's
# static-web-server-prepare script makes, from JSON files written by tests/lab/seed/up.sh.
case "$*" in
  "get --raw /.well-known/openid-configuration") exec cat /etc/runner-lab/oidc/openid-configuration ;;
  "get --raw /openid/v1/jwks") exec cat /etc/runner-lab/oidc/jwks ;;
  *) echo "kubectl (lab stand-in): only 'get --raw' of the OIDC documents is available" >&2; exit 1 ;;
esac
