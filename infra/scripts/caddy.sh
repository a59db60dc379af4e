#!/usr/bin/env bash
# Caddy, the edge proxy, as the Swarm service slipway-caddy (image slipway/caddy:local).
# Usage: caddy.sh start|stop|status     (needs docker.sh, pebble.sh and images.sh caddy first)
#   status prints the admin API URL on stdout when healthy.
#
# - Ports 80 and 443 published in host mode (ingress publishing does not work on this kernel),
#   endpoint mode dnsrr (no IPVS here either). Network: slipway-edge (attachable overlay); the
#   routing service adds project networks to the service.
# - Admin API: on a unix socket only, $DATA/caddy/admin/admin.sock (a 0700 root directory mounted
#   into the task; see infra/images/caddy/entrypoint.sh): the routing service reaches it, no
#   container and no unprivileged process does. Its address, `unix:<path>`, is in
#   $DATA/caddy/config/admin-url.
# - Config: /config/initial.json (catch-all 404, http_port 80 / https_port 443, ACME from Pebble)
#   on the very first start; after that the last config loaded over the admin API, so routes
#   survive task restarts. Keep the "admin" block of the config as it is when loading a new one.
# - Data (certificates, ACME accounts) in $DATA/caddy/data; Pebble's public PEMs mounted read-only
#   at /etc/slipway/pebble.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
C="$DATA/caddy"
ensure_dirs "$C/config" "$C/data" "$C/admin"
chmod 700 "$C/admin"
URL_FILE="$C/config/admin-url"
SOCKET="$C/admin/admin.sock"
AUTOSAVE="$C/config/caddy/autosave.json"

admin_url() { echo "unix:$SOCKET"; }
admin_ok() { curl -fsS -o /dev/null --max-time 3 --unix-socket "$SOCKET" http://localhost/config/ 2>/dev/null; }
http_ok() { [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$HTTP_PORT/" 2>/dev/null)" != 000 ]]; }
healthy() { admin_ok && http_ok; }
service_exists() { docker service inspect "$CADDY_SERVICE" >/dev/null 2>&1; }
service_label() { docker service inspect --format "{{index .Spec.Labels \"$1\"}}" "$CADDY_SERVICE" 2>/dev/null; }

ensure_network() {
  docker network inspect "$EDGE_NETWORK" >/dev/null 2>&1 ||
    docker network create --driver overlay --attachable "$EDGE_NETWORK" >/dev/null
}

write_initial_config() {
  local acme gw
  gw=$(gwbridge_gateway)
  acme="https://$gw:$PEBBLE_PORT/dir"
  # The admin block (a unix socket) is fixed in the template.
  sed -e "s#@ACME_CA_URL@#$acme#" \
    "$IMAGES_DIR/caddy/initial-config.json" >"$C/config/initial.json.tmp"
  replace_if_changed "$C/config/initial.json"
}

# A new Pebble process has a new issuing root and has forgotten every ACME account: Caddy's cached
# account and certificates for it are useless. Drop them; the caller restarts Caddy.
pebble_root_changed() {
  local now
  now=$(sha256sum "$DATA/pebble/root.pem" | cut -d' ' -f1)
  [[ -s $C/pebble-root.sha256 && "$(<"$C/pebble-root.sha256")" != "$now" ]] || return 1
  info "Pebble was restarted (new issuing root): clearing Caddy's Pebble ACME account and certificates"
  # The running Caddy would register again (and write the account files) the moment they are gone.
  service_exists && docker service scale --detach "$CADDY_SERVICE=0" >/dev/null 2>>"$LOG_DIR/caddy.log"
  wait_until "the old caddy container to stop" 30 no_caddy_container || true
  find "$C/data/caddy/acme" "$C/data/caddy/certificates" -mindepth 1 -maxdepth 1 -type d \
    -name "*-$PEBBLE_PORT-dir" -exec rm -rf {} + 2>/dev/null || true
  register_acme_account
  return 0
}

no_caddy_container() { [[ -z "$(docker ps -q --filter label=com.slipway.role=edge)" ]]; }

# One account, registered before Caddy starts: Caddy restarted with many hostnames and none
# registered one per hostname at once and saved one's key beside another's URL (every order then
# failed: "JWS verification error"). See infra/platform/acme-account.cjs.
register_acme_account() {
  local gw node users
  gw=$(gwbridge_gateway)
  users="$C/data/caddy/acme/$gw-$PEBBLE_PORT-dir/users/default"
  node="$("$SCRIPTS_DIR/node-bin.sh")/node"
  "$node" "$SCRIPTS_DIR/../platform/acme-account.cjs" "https://$gw:$PEBBLE_PORT/dir" "$DATA/pebble/ca.pem" "$users" >>"$LOG_DIR/caddy.log" 2>&1 ||
    warn "could not register Caddy's ACME account ahead (see $LOG_DIR/caddy.log): Caddy registers its own"
}

# The saved config names Pebble by the docker_gwbridge gateway address; should that address change
# (docker's network state was reset), point the saved config at the new one.
acme_url_changed() {
  local now
  now="https://$(gwbridge_gateway):$PEBBLE_PORT/dir"
  [[ -s $AUTOSAVE ]] && grep -q ":$PEBBLE_PORT/dir" "$AUTOSAVE" && ! grep -qF "\"$now\"" "$AUTOSAVE" || return 1
  info "Pebble's address changed: updating the saved Caddy config to $now"
  sed -i -E "s#\"https://[0-9.]+:$PEBBLE_PORT/dir\"#\"$now\"#g" "$AUTOSAVE"
}

remember_pebble_root() {
  sha256sum "$DATA/pebble/root.pem" | cut -d' ' -f1 >"$C/pebble-root.sha256.tmp"
  replace_if_changed "$C/pebble-root.sha256"
}

create_service() {
  step "creating swarm service $CADDY_SERVICE (ports $HTTP_PORT/$HTTPS_PORT)"
  docker service create --detach --quiet --name "$CADDY_SERVICE" \
    --endpoint-mode dnsrr \
    --network "name=$EDGE_NETWORK" \
    --publish "mode=host,target=80,published=$HTTP_PORT,protocol=tcp" \
    --publish "mode=host,target=443,published=$HTTPS_PORT,protocol=tcp" \
    --mount "type=bind,source=$C/config,target=/config" \
    --mount "type=bind,source=$C/data,target=/data" \
    --mount "type=bind,source=$C/admin,target=/run/slipway-admin" \
    --mount "type=bind,source=$DATA/pebble,target=/etc/slipway/pebble,readonly" \
    --label com.slipway.role=edge --label "com.slipway.image-id=$1" --label com.slipway.admin=unix \
    --container-label com.slipway.role=edge \
    --restart-condition any --restart-delay 1s --update-order stop-first \
    --log-driver json-file --log-opt max-size=10m --log-opt max-file=3 \
    "$CADDY_IMAGE" >/dev/null 2>>"$LOG_DIR/caddy.log"
}

restart_service() { # restart_service IMAGE_ID REASON
  local socket_mount=()
  # Before the admin API moved to a unix socket, the service had no mount for it.
  [[ "$(service_label com.slipway.admin)" == unix ]] ||
    socket_mount=(--mount-add "type=bind,source=$C/admin,target=/run/slipway-admin" --env-rm CADDY_ADMIN_PORT --label-add com.slipway.admin=unix)
  step "restarting $CADDY_SERVICE ($2)"
  docker service update --detach --quiet --force --image "$CADDY_IMAGE" "${socket_mount[@]}" \
    --label-add "com.slipway.image-id=$1" "$CADDY_SERVICE" >/dev/null 2>>"$LOG_DIR/caddy.log"
}

start() {
  local image_id restart=""
  swarm_active || die "docker swarm is not running (docker.sh start)"
  image_id=$(docker image inspect --format '{{.Id}}' "$CADDY_IMAGE" 2>/dev/null) || die "$CADDY_IMAGE is missing (images.sh caddy)"
  [[ -s $DATA/pebble/ca.pem && -s $DATA/pebble/root.pem ]] || die "Pebble's CA files are missing (pebble.sh start)"
  ensure_network
  write_initial_config
  admin_url >"$URL_FILE.tmp" && replace_if_changed "$URL_FILE"
  pebble_root_changed && restart="Pebble restarted"
  acme_url_changed && restart=${restart:-"ACME directory moved"}
  if service_exists; then
    [[ "$(service_label com.slipway.image-id)" == "$image_id" ]] || restart=${restart:-"image rebuilt"}
    [[ "$(service_label com.slipway.admin)" == unix ]] || restart=${restart:-"admin API moves to a unix socket"}
    if [[ -z $restart ]] && healthy; then
      info "caddy: up, admin API $(admin_url)"
      remember_pebble_root
      return
    fi
    [[ -n $restart ]] && restart_service "$image_id" "$restart"
    # Scaled to 0 above when Pebble restarted.
    [[ "$(docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' "$CADDY_SERVICE")" == 1 ]] ||
      docker service scale --detach "$CADDY_SERVICE=1" >/dev/null 2>>"$LOG_DIR/caddy.log"
  else
    require_port_free "$HTTP_PORT" caddy
    require_port_free "$HTTPS_PORT" caddy
    create_service "$image_id"
  fi
  wait_until "caddy (admin API and port $HTTP_PORT)" 60 healthy ||
    die "caddy did not become healthy: docker service ps $CADDY_SERVICE --no-trunc; docker service logs $CADDY_SERVICE"
  remember_pebble_root
  info "caddy: up, admin API $(admin_url)"
}

stop() {
  if ! service_exists; then
    info "caddy: not running"
    return
  fi
  step "removing swarm service $CADDY_SERVICE (config and certificates stay in $C)"
  docker service rm "$CADDY_SERVICE" >/dev/null
  # The published ports are free only once the task's container has stopped.
  wait_until "caddy's container to stop" 60 bash -c "[[ -z \"\$(docker ps -q --filter label=com.docker.swarm.service.name=$CADDY_SERVICE)\" ]]" ||
    warn "caddy's container is still running: docker ps --filter label=com.docker.swarm.service.name=$CADDY_SERVICE"
}

status() {
  if service_exists && healthy; then
    info "caddy: up, admin API $(admin_url), http://127.0.0.1:$HTTP_PORT"
    admin_url
  else
    info "caddy: down"
    return 1
  fi
}

case ${1:-} in
start | stop | status) "$1" ;;
*) die "usage: $0 start|stop|status" ;;
esac
