#!/usr/bin/env bash
# Stops the local infrastructure in the reverse order of up.sh. All data stays in $DATA
# (JetStream streams, FerretDB files, registry images, Caddy certificates, docker state).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_dirs
lock_infra
S=$SCRIPTS_DIR
T0=$SECONDS
# Caddy is a swarm service: remove it while docker still runs.
if docker_ok; then "$S/caddy.sh" stop; fi
"$S/pebble.sh" stop
"$S/ferretdb.sh" stop
"$S/victorialogs.sh" stop
"$S/victoriametrics.sh" stop
"$S/nats.sh" stop
"$S/registry.sh" stop
"$S/docker.sh" stop
"$S/gitea.sh" stop # the tests' git host, when they left it running
rm -f "$RUN_DIR/infra.env"
step "infrastructure down in $((SECONDS - T0))s (data kept in $DATA)"
