#!/usr/bin/env bash
# Brings the whole local infrastructure up (idempotent: when everything is up it checks and exits
# in seconds) and writes $DATA/run/infra.env for the TypeScript code:
#   set -a; . /var/lib/slipway/run/infra.env; set +a
# Order: preflight, then in parallel where nothing depends on another:
#   ferretdb (go build, the slow part on a new machine, then start) | node 24 | victorialogs |
#   env-exec (go build) |
#   apt packages -> { registry | nats | docker -> { pebble, images } -> caddy }
# Env: SLIPWAY_DATA_DIR (default /var/lib/slipway), SLIPWAY_SKIP_IMAGES=1 (no debian/node images).
set -euo pipefail
if [[ ${1:-} == -h || ${1:-} == --help ]]; then sed -n '2,10p' "$0"; exit 0; fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_dirs "$RUN_DIR/up"
lock_infra
rm -f "$RUN_DIR"/up/*.time
S=$SCRIPTS_DIR
T0=$SECONDS
declare -A job_pid=() job_time=()
order=()

phase() { # phase NAME CMD...: runs in the foreground, timed
  local name=$1 t=$SECONDS
  shift
  "$@" || return
  job_time[$name]=$((SECONDS - t))
  order+=("$name")
}

# job NAME CMD...: runs CMD in the background, its output prefixed with [NAME]; records its time.
job() {
  local name=$1
  shift
  (
    t=$SECONDS
    "$@" 2>&1 | sed -u "s/^/[$name] /" >&2
    echo $((SECONDS - t)) >"$RUN_DIR/up/$name.time"
  ) &
  job_pid[$name]=$!
}

# await NAME...: waits for the jobs; stops everything with the first failure.
await() {
  local name failed=()
  for name in "$@"; do
    if wait "${job_pid[$name]}"; then
      job_time[$name]=$(<"$RUN_DIR/up/$name.time")
      order+=("$name")
    else
      failed+=("$name")
    fi
  done
  if ((${#failed[@]})); then
    wait || true # let the other jobs finish their current step rather than leave them half-done
    die "failed: ${failed[*]} (logs in $LOG_DIR)"
  fi
}

phase preflight "$S/preflight.sh"
phase keys "$S/secret-keys.sh"
step "starting components (output prefixed with the component's name)"
# FerretDB's go build (the longest step on a new machine) and Node 24 need no apt package.
job ferretdb bash -c '"$0/install.sh" ferretdb && "$0/ferretdb.sh" start' "$S"
job node "$S/install.sh" node
job victorialogs "$S/victorialogs.sh" start
job env-exec "$S/install.sh" env-exec
if ! phase apt "$S/install.sh" apt; then
  wait || true # the jobs above are safe to finish; do not leave them running unseen
  die "installing the apt packages failed"
fi
job registry "$S/registry.sh" start
job nats "$S/nats.sh" start
job victoriametrics "$S/victoriametrics.sh" start
job docker "$S/docker.sh" start
await docker
job pebble "$S/pebble.sh" start
job caddy-image "$S/images.sh" caddy
[[ ${SLIPWAY_SKIP_IMAGES:-0} == 1 ]] || job base-images "$S/images.sh" base
# Node: caddy.sh registers Caddy's ACME account with it after a Pebble restart.
await pebble caddy-image node
job caddy "$S/caddy.sh" start
await registry nats node env-exec caddy ferretdb victorialogs
await victoriametrics
[[ ${SLIPWAY_SKIP_IMAGES:-0} == 1 ]] || await base-images

node_dir=$("$S/node-bin.sh" 2>"$RUN_DIR/up/node-bin.err") || die "node-bin.sh: $(cat "$RUN_DIR/up/node-bin.err")"
gw=$(gwbridge_gateway)
caddy_admin=$("$S/caddy.sh" status 2>/dev/null) || die "caddy is not healthy after start"
victoriametrics_url=$("$S/victoriametrics.sh" status 2>/dev/null) || die "victoriametrics is not healthy after start"
cat >"$RUN_DIR/infra.env.tmp" <<EOF
# Written by infra/scripts/up.sh. Source with: set -a; . $RUN_DIR/infra.env; set +a
SLIPWAY_DATA_DIR=$DATA
NATS_URL=nats://127.0.0.1:$NATS_PORT
NATS_MONITOR_URL=http://127.0.0.1:$NATS_MONITOR_PORT
MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT
REGISTRY=127.0.0.1:$REGISTRY_PORT
DOCKER_SOCKET=/var/run/docker.sock
DOCKER_GWBRIDGE_GATEWAY=$gw
CADDY_ADMIN_URL=$caddy_admin
CADDY_ADMIN_URL_FILE=$DATA/caddy/config/admin-url
CADDY_SERVICE=$CADDY_SERVICE
CADDY_SERVER_NAME=slipway
CADDY_CATCH_ALL_ROUTE_ID=slipway-catch-all
CADDY_ACME_POLICY_ID=slipway-acme
EDGE_NETWORK=$EDGE_NETWORK
ACME_CA_URL=https://$gw:$PEBBLE_PORT/dir
ACME_ROOT_PEM=$DATA/pebble/root.pem
ACME_CA_TLS_PEM=$DATA/pebble/ca.pem
CADDY_ACME_TRUSTED_ROOTS_PEM=/etc/slipway/pebble/ca.pem
PEBBLE_MANAGEMENT_URL=https://127.0.0.1:$PEBBLE_MGMT_PORT
VICTORIALOGS_URL=$VICTORIALOGS_URL
NODE_BIN_DIR=$node_dir
HOST_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
VICTORIAMETRICS_URL=$victoriametrics_url
EOF
replace_if_changed "$RUN_DIR/infra.env"

step "infrastructure up in $((SECONDS - T0))s; env file: $RUN_DIR/infra.env"
for name in "${order[@]}"; do printf '    %-12s %4ss\n' "$name" "${job_time[$name]}" >&2; done
