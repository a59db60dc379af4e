#!/usr/bin/env bash
# Pebble, Let's Encrypt's ACME test CA, for Caddy's certificates in tests.
# Usage: pebble.sh start|stop|status   (needs docker.sh start first: it listens on a docker bridge)
#
# - ACME directory on https://<docker_gwbridge gateway>:14000/dir, e.g. https://172.18.0.1:14000/dir.
#   Caddy runs inside a swarm container, where 127.0.0.1 is the container itself; the gateway
#   address is the host as every container sees it, and it is not an address of any outside
#   interface. The host uses the same URL.
# - Management (roots, intermediates) on https://127.0.0.1:15000, for the host only.
# - Pebble's own HTTPS listener uses a CA + certificate made here with openssl ($DATA/pebble/ca.pem
#   is what an ACME client must trust to talk to Pebble). The root that signs the *issued*
#   certificates is new at every Pebble start: it is fetched to $DATA/pebble/root.pem.
# - Validation is switched off (PEBBLE_VA_ALWAYS_VALID): test domains need no DNS.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
P="$DATA/pebble"             # public: ca.pem, root.pem, config (mounted into the Caddy container)
K="$DATA/secrets/pebble"     # private keys and the listener certificate, never mounted anywhere
ensure_dirs "$P" "$K"
chmod 700 "$DATA/secrets"

gateway() {
  local gw
  gw=$(gwbridge_gateway) && [[ -n $gw ]] || die "docker_gwbridge not found: start docker first (docker.sh start)"
  echo "$gw"
}

acme_url() { echo "https://$(gateway):$PEBBLE_PORT/dir"; }
mgmt_url() { echo "https://127.0.0.1:$PEBBLE_MGMT_PORT"; }
healthy() {
  curl -fsS -o /dev/null --max-time 3 --cacert "$P/ca.pem" "$(acme_url)" 2>/dev/null &&
    curl -fsS -o /dev/null --max-time 3 --cacert "$P/ca.pem" "$(mgmt_url)/roots/0" 2>/dev/null
}

# make_certs GW: a long-lived CA (kept across runs) and a listener certificate for Pebble whose
# names cover every way it is reached; remade when the gateway address is not among them.
make_certs() {
  local gw=$1
  if [[ ! -s $P/ca.pem || ! -s $K/ca.key ]]; then
    info "creating Pebble's listener CA ($P/ca.pem)"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Slipway local Pebble listener CA" \
      -keyout "$K/ca.key" -out "$P/ca.pem" 2>/dev/null
    rm -f "$K/cert.pem"
  fi
  if [[ ! -s $K/cert.pem ]] || ! openssl x509 -in "$K/cert.pem" -noout -checkip "$gw" | grep -q 'does match'; then
    info "creating Pebble's listener certificate (localhost, 127.0.0.1, $gw)"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=pebble" -keyout "$K/key.pem" -out "$K/cert.csr" 2>/dev/null
    openssl x509 -req -in "$K/cert.csr" -CA "$P/ca.pem" -CAkey "$K/ca.key" -CAserial "$K/ca.srl" -CAcreateserial -days 3650 \
      -extfile <(printf 'subjectAltName=DNS:localhost,DNS:pebble,IP:127.0.0.1,IP:%s\nextendedKeyUsage=serverAuth\n' "$gw") \
      -out "$K/cert.pem" 2>/dev/null
    rm -f "$K/cert.csr"
  fi
}

start() {
  local gw
  gw=$(gateway)
  if [[ -s $P/ca.pem ]] && pid_of pebble >/dev/null && healthy; then
    [[ -s $P/root.pem ]] || fetch_root
    info "pebble: up at $(acme_url)"
    return
  fi
  pid_of pebble >/dev/null && stop_daemon pebble
  require_port_free "$PEBBLE_PORT" pebble
  require_port_free "$PEBBLE_MGMT_PORT" "pebble management"
  make_certs "$gw"
  cat >"$P/pebble-config.json" <<JSON
{
  "pebble": {
    "listenAddress": "$gw:$PEBBLE_PORT",
    "managementListenAddress": "127.0.0.1:$PEBBLE_MGMT_PORT",
    "certificate": "$K/cert.pem",
    "privateKey": "$K/key.pem",
    "httpPort": $HTTP_PORT,
    "tlsPort": $HTTPS_PORT,
    "ocspResponderURL": "",
    "externalAccountBindingRequired": false
  }
}
JSON
  step "starting pebble on $gw:$PEBBLE_PORT (management 127.0.0.1:$PEBBLE_MGMT_PORT)"
  start_daemon pebble env PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
    pebble -config "$P/pebble-config.json"
  wait_until "pebble" 30 healthy || die "pebble did not come up, see $LOG_DIR/pebble.log"
  fetch_root
}

# The issuing root changes with every Pebble process: fetch it (atomically, readers may poll).
fetch_root() {
  curl -fsS --cacert "$P/ca.pem" "$(mgmt_url)/roots/0" -o "$P/root.pem.tmp"
  mv "$P/root.pem.tmp" "$P/root.pem"
  info "pebble: issuing root written to $P/root.pem"
}

stop() { stop_daemon pebble; }

status() {
  if [[ -s $P/ca.pem ]] && healthy && [[ -s $P/root.pem ]]; then
    info "pebble: up at $(acme_url) (issuing root $P/root.pem)"
  else
    info "pebble: down"
    return 1
  fi
}

case ${1:-} in
start | stop | status) "$1" ;;
*) die "usage: $0 start|stop|status" ;;
esac
