#!/usr/bin/env bash
# VictoriaMetrics, the time-series store for container and host metrics, on 127.0.0.1:8428, data in
# $DATA/victoriametrics (0700), kept $VICTORIAMETRICS_RETENTION.
#   install  go install from the Go module proxy into $DATA/toolchain/victoriametrics-<version>
#            (~20-60 s the first time; a second run finds the binary there and takes no time)
#   start    install if needed, then run it as a daemon; already running and healthy: says so
#   stop
#   status   prints its URL on stdout when healthy (up.sh writes it into infra.env)
# VictoriaMetrics has no authentication here: anyone who reaches its port can read and write every
# series. It listens on loopback only, so only local processes reach it (the metrics service
# writes, the gateway reads).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VICTORIAMETRICS_VERSION=v1.151.0
VICTORIAMETRICS_PORT=8428
VICTORIAMETRICS_URL="http://127.0.0.1:$VICTORIAMETRICS_PORT"
VICTORIAMETRICS_RETENTION=${SLIPWAY_METRICS_RETENTION:-7d}
HOME_DIR="$DATA/toolchain/victoriametrics-${VICTORIAMETRICS_VERSION#v}"
BIN="$HOME_DIR/bin/victoria-metrics"
STORE="$DATA/victoriametrics"
STARTED="$RUN_DIR/victoriametrics.args" # the arguments the running process was started with

installed() { [[ -x $BIN ]]; }

install() {
  if installed; then
    info "victoria-metrics $VICTORIAMETRICS_VERSION: present in $HOME_DIR"
    return
  fi
  go_install victoria-metrics "github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics@$VICTORIAMETRICS_VERSION" "$HOME_DIR"
}

# -search.latencyOffset=0s: by default queries hide the last 30 s (for late samples from remote
# scrapers); our only writer is the local collector, so a point is queryable as soon as it is stored.
# -search.disableCache: with a zero offset the rollup cache could keep a half-filled last step.
# -memory.allowedBytes: the caches are sized from it, by default 60% of the host's memory (14 GB
# here, for a few hundred series; the caches hold ~4 MB on a busy test host). 64 MiB took a scratch
# instance's idle RSS from 49-60 MB to 28-44 MB (ADR 0022).
args() {
  printf '%s\n' "-httpListenAddr=127.0.0.1:$VICTORIAMETRICS_PORT" "-storageDataPath=$STORE" \
    "-retentionPeriod=$VICTORIAMETRICS_RETENTION" "-search.latencyOffset=0s" "-search.disableCache" \
    "-memory.allowedBytes=64MiB" "-loggerLevel=WARN"
}
# Go's runtime: most of the live heap at idle is ingest buffers, one 8 MiB buffer per CPU and a
# spare; one CPU (ample for one collector's few hundred series every 10 s) takes it from ~30 to
# ~21 MB, and a soft limit above that returns the rest: idle RSS 150 s after load went from 47-50
# to 38 MB, query_range unchanged (ADR 0022). GOGC=50 made it worse.
go_env() { printf '%s\n' "GOMAXPROCS=${VICTORIAMETRICS_GOMAXPROCS:-1}" "GOMEMLIMIT=${VICTORIAMETRICS_GOMEMLIMIT:-32MiB}"; }

healthy() { [[ $(curl -fsS --max-time 2 "$VICTORIAMETRICS_URL/health" 2>/dev/null) == OK ]]; }
runs_installed_binary() {
  local pid
  pid=$(pid_of victoriametrics) && [[ $(readlink "/proc/$pid/exe") == "$BIN" ]]
}

start() {
  if healthy && runs_installed_binary && [[ -s $STARTED && $(<"$STARTED") == "$(args; go_env)" ]]; then
    info "victoriametrics: up at $VICTORIAMETRICS_URL"
    return
  fi
  install
  pid_of victoriametrics >/dev/null && stop_daemon victoriametrics
  require_port_free "$VICTORIAMETRICS_PORT" victoriametrics
  ensure_dirs "$STORE"
  chmod 700 "$STORE"
  step "starting victoria-metrics on $VICTORIAMETRICS_URL (data: $STORE, retention $VICTORIAMETRICS_RETENTION)"
  local a e
  mapfile -t a < <(args)
  mapfile -t e < <(go_env)
  (export "${e[@]}" && start_daemon victoriametrics "$BIN" "${a[@]}")
  { args; go_env; } >"$STARTED"
  wait_until victoriametrics 30 healthy ||
    die "victoriametrics did not come up, see $LOG_DIR/victoriametrics.log: $(tail -n 5 "$LOG_DIR/victoriametrics.log")"
}

stop() { stop_daemon victoriametrics 30; }

status() {
  if healthy; then
    info "victoriametrics: up at $VICTORIAMETRICS_URL"
    echo "$VICTORIAMETRICS_URL"
  else
    info "victoriametrics: down"
    return 1
  fi
}

# One install/start/stop at a time (up.sh and a test run may both start it).
lock_victoriametrics() {
  ensure_dirs
  exec 8>"$RUN_DIR/victoriametrics.lock"
  flock -w 300 8 || die "gave up waiting for $RUN_DIR/victoriametrics.lock"
}

case ${1:-} in
install | start | stop)
  lock_victoriametrics
  "$1"
  ;;
status) status ;;
*) die "usage: $0 install|start|stop|status" ;;
esac
