#!/usr/bin/env bash
# Local Docker registry (Debian's docker-registry) on 127.0.0.1:5000, images stored under
# $DATA/registry. Usage: registry.sh start|stop|status
# No anonymous pushes or pulls: htpasswd sign-in for `build` (pushes what it built) and `deploy`
# (Swarm pulls with it; it discards old images), passwords in $DATA/secrets/registry/<identity>
# (0600). The registry has no per-user rights: whoever signs in may push and pull.
# bcrypt cost 10: the registry checks the hash on every request (cost 14 took 1.1 s per request).
# Docker treats 127.0.0.0/8 as an insecure registry already: no daemon change is needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_dirs "$DATA/registry/data"

URL="http://127.0.0.1:$REGISTRY_PORT/v2/"
CONFIG="$DATA/registry/config.yml"
CREDS="$DATA/secrets/registry"
HTPASSWD="$DATA/registry/htpasswd"
IDENTITIES=(build deploy)
STARTED_CONF="$RUN_DIR/registry.config.sha256" # the config the running registry was started with
healthy() { curl -fsS -o /dev/null --max-time 3 -u "build:$(cat "$CREDS/build" 2>/dev/null)" "$URL" 2>/dev/null; }

# The passwords (created once) and their bcrypt hashes; the hashes are remade only when a password
# file is newer than the htpasswd file (the registry rereads that file on its own).
write_credentials() {
  local id f
  (umask 077 && mkdir -p "$CREDS")
  chmod 700 "$DATA/secrets" "$CREDS"
  for id in "${IDENTITIES[@]}"; do
    f="$CREDS/$id"
    [[ -s $f ]] || (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$f.tmp" && mv "$f.tmp" "$f")
  done
  local stale=0
  [[ -s $HTPASSWD ]] || stale=1
  for id in "${IDENTITIES[@]}"; do [[ $CREDS/$id -nt $HTPASSWD ]] && stale=1; done
  ((stale)) || return 0
  command -v htpasswd >/dev/null || die "htpasswd is missing: run install.sh apt (package apache2-utils)"
  (
    umask 077
    : >"$HTPASSWD.tmp"
    for id in "${IDENTITIES[@]}"; do htpasswd -niB -C 10 "$id" <"$CREDS/$id" | sed '/^$/d' >>"$HTPASSWD.tmp"; done
    mv "$HTPASSWD.tmp" "$HTPASSWD"
  )
}

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
auth:
  htpasswd:
    realm: slipway-registry
    path: $HTPASSWD
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
  write_credentials
  write_config
  if healthy && [[ -s $STARTED_CONF && $(<"$STARTED_CONF") == "$(sha256sum "$CONFIG" | cut -d' ' -f1)" ]]; then
    info "registry: up at 127.0.0.1:$REGISTRY_PORT"
    return
  fi
  # Not answering, or running another config (before sign-in was required): restart it.
  pid_of registry >/dev/null && stop_daemon registry
  require_port_free "$REGISTRY_PORT" registry
  step "starting registry on 127.0.0.1:$REGISTRY_PORT (data: $DATA/registry/data)"
  start_daemon registry docker-registry serve "$CONFIG"
  sha256sum "$CONFIG" | cut -d' ' -f1 >"$STARTED_CONF"
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
