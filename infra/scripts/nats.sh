#!/usr/bin/env bash
# NATS with JetStream: clients on 127.0.0.1:4222, monitoring on 127.0.0.1:8222, file storage under
# $DATA/nats. Usage: nats.sh start|stop|status
# JetStream is the event store: `stop` is a clean SIGTERM (the server flushes its stores) and the
# store directory and server name never change, so streams survive stop/start.
# No anonymous clients: each identity (a service, or `operator` for provisioning, tests and host
# tools) has a password in $DATA/secrets/nats/<identity> (0600) and only the subjects its role
# needs (nats-auth.sh writes the config; docs/adr/0013-trust-model.md says who may do what).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_dirs "$DATA/nats"
CONF="$DATA/nats/auth.conf"
STARTED_CONF="$RUN_DIR/nats.auth.sha256" # the config the running server was started with

MON="http://127.0.0.1:$NATS_MONITOR_PORT"
# /healthz answers 200 only once JetStream is up and its streams are loaded.
healthy() { curl -fsS --max-time 3 "$MON/healthz" 2>/dev/null | grep -q '"ok"'; }

# Go's runtime: GOGC=25, no memory limit. NATS (Go 1.19) keeps the heap a load grew: 150 s after a
# load (3 ordered reads of every stream, 50 durables, 60,000 publishes) 84 MB RSS instead of 113, the
# peak 133-145 MB instead of 172-191, each phase within ~20% of its time. A soft limit is a cliff: that
# load's live heap reached 87-103 MB, and under 64 MiB the GC ran without pause (ADR 0026).
go_env() { printf '%s\n' "GOGC=${NATS_GOGC:-25}"; }
# What the running server was started with: its authorisation and its Go settings.
conf_sum() { { cat "$CONF"; go_env; } | sha256sum | cut -d' ' -f1; }

start() {
  bash "$SCRIPTS_DIR/nats-auth.sh" "$CONF"
  if healthy && pid_of nats >/dev/null && [[ -s $STARTED_CONF && $(<"$STARTED_CONF") == "$(conf_sum)" ]]; then
    info "nats: up at nats://127.0.0.1:$NATS_PORT"
    return
  fi
  # Running without this authorisation or these Go settings (an older install, or identities changed): restart it.
  # JetStream keeps its streams; services reconnect on their own.
  healthy && info "nats: restarting with the current authorisation"
  pid_of nats >/dev/null && stop_daemon nats
  require_port_free "$NATS_PORT" nats
  require_port_free "$NATS_MONITOR_PORT" "nats monitoring"
  step "starting nats-server -js on 127.0.0.1:$NATS_PORT (store: $DATA/nats)"
  # -n: a fixed server name, JetStream keys its metadata by it.
  local e
  mapfile -t e < <(go_env)
  (export "${e[@]}" && start_daemon nats nats-server -c "$CONF" -n slipway -a 127.0.0.1 -p "$NATS_PORT" \
    -m "$NATS_MONITOR_PORT" -js -sd "$DATA/nats")
  conf_sum >"$STARTED_CONF"
  wait_until "nats" 30 healthy || die "nats did not come up, see $LOG_DIR/nats.log"
}

stop() { stop_daemon nats 30; }

status() {
  if healthy; then info "nats: up at nats://127.0.0.1:$NATS_PORT (monitoring $MON)"; else
    info "nats: down"
    return 1
  fi
}

case ${1:-} in
start | stop | status) "$1" ;;
*) die "usage: $0 start|stop|status" ;;
esac
