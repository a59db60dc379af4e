#!/usr/bin/env bash
# Local Docker registry (Debian's docker-registry) on 127.0.0.1:5000, no auth, images stored
# under $DATA/registry. Usage: registry.sh start|stop|status
# Debian's default config turns on htpasswd auth, so we always run our own config.
# Docker treats 127.0.0.0/8 as an insecure registry already: no daemon change is needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_dirs "$DATA/registry/data"

URL="http://127.0.0.1:$REGISTRY_PORT/v2/"
CONFIG="$DATA/registry/config.yml"
healthy() { curl -fsS -o /dev/null --max-time 3 "$URL" 2>/dev/null; }

write_config() {
  # The http secret only matters for several replicas behind a balancer; keep it stable anyway.
  [[ -s $DATA/registry/http-secret ]] || head -c 24 /dev/urandom | base64 >"$DATA/registry/http-secret"
  cat >"$CONFIG.tmp" <<YAML
version: 0.1
log:
  level: info
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $DATA/registry/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$REGISTRY_PORT
  secret: $(cat "$DATA/registry/http-secret")
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
YAML
  mv "$CONFIG.tmp" "$CONFIG"
}

start() {
  if healthy; then
    info "registry: up at 127.0.0.1:$REGISTRY_PORT"
    return
  fi
  pid_of registry >/dev/null && stop_daemon registry # running but not answering: restart it
  require_port_free "$REGISTRY_PORT" registry
  write_config
  step "starting registry on 127.0.0.1:$REGISTRY_PORT (data: $DATA/registry/data)"
  start_daemon registry docker-registry serve "$CONFIG"
  wait_until "registry" 30 healthy || die "registry did not come up, see $LOG_DIR/registry.log"
}

stop() { stop_daemon registry; }

status() {
  if healthy; then info "registry: up at 127.0.0.1:$REGISTRY_PORT"; else
    info "registry: down"
    return 1
  fi
}

case ${1:-} in
start | stop | status) "$1" ;;
*) die "usage: $0 start|stop|status" ;;
esac
