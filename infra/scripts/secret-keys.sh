#!/usr/bin/env bash
# Creates, once, the key pair of each service that opens secrets: $DATA/secrets/keys/<service>.key
# (X25519 private key, 0600: read only by that service) and <service>.pub (anyone may seal to it).
# The gateway seals a secret for the one service that opens it (deploy: env values; build: git
# credentials; gateway: webhook secrets; preview: the git token again, for pull request comments; metrics: alert channel URLs, their signing secrets and the SMTP password), so no value crosses NATS or lands in an event in clear.
# Idempotent. Usage: secret-keys.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
dir="$DATA/secrets/keys"
(umask 077 && mkdir -p "$dir")
chmod 700 "$DATA/secrets"
chmod 711 "$dir" # public keys readable, private ones not (0600)
for service in gateway build deploy preview metrics; do
  key="$dir/$service.key"
  if [[ ! -s $key ]]; then
    (umask 077 && openssl genpkey -algorithm X25519 -out "$key.tmp" && mv "$key.tmp" "$key")
    info "secret keys: created the key pair of $service"
  fi
  [[ -s $dir/$service.pub ]] || openssl pkey -in "$key" -pubout -out "$dir/$service.pub"
  chmod 644 "$dir/$service.pub"
done
