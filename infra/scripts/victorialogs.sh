#!/usr/bin/env bash
# VictoriaLogs, the store for the apps' runtime logs (stdout/stderr of every container), on
# 127.0.0.1:$VICTORIALOGS_PORT, data in $DATA/victorialogs (0700), kept $VICTORIALOGS_RETENTION.
#   install  go install from the Go module proxy into $DATA/toolchain/victorialogs-<version>
#            (~15-60 s the first time; a second run finds the binary there and takes no time)
#   start    install if needed, then run it as a daemon; already running and healthy: says so
#   stop | status
# VictoriaLogs has no authentication: anyone who reaches its port can read and write every log.
# It listens on loopback only, so only local processes reach it (the metrics service writes, the
# gateway reads). A follow-up can put it behind a unix socket or an authenticating proxy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VICTORIALOGS_VERSION=v1.52.1
VICTORIALOGS_RETENTION=${SLIPWAY_LOG_RETENTION:-7d}
HOME_DIR="$DATA/toolchain/victorialogs-${VICTORIALOGS_VERSION#v}"
BIN="$HOME_DIR/bin/victoria-logs"
STORE="$DATA/victorialogs"
STARTED="$RUN_DIR/victorialogs.args" # the arguments the running process was started with

installed() { [[ -x $BIN ]]; }

install() {
  if installed; then
    info "victoria-logs $VICTORIALOGS_VERSION: present in $HOME_DIR"
    return
  fi
  go_install victoria-logs "github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@$VICTORIALOGS_VERSION" "$HOME_DIR"
}

args() {
  printf '%s\n' "-httpListenAddr=127.0.0.1:$VICTORIALOGS_PORT" "-storageDataPath=$STORE" \
    "-retentionPeriod=$VICTORIALOGS_RETENTION" "-loggerLevel=WARN"
}

# Go's runtime: what VictoriaLogs keeps after a burst is heap left over, not caches (so
# -memory.allowedBytes does nothing). One CPU, GOGC=50 and a soft limit of 64 MiB: idle 150 s after a
# 100,000-line burst went from 40-57 MB to 23-35 MB and the burst's peak from 77-121 to 50-56 MB, with
# the burst searchable as fast (1.5-2.0 s; ADR 0022). A limit of 24 MiB, below the burst's live
# heap, had slowed that ingest fourfold.
go_env() { printf '%s\n' "GOMAXPROCS=${VICTORIALOGS_GOMAXPROCS:-1}" "GOGC=50" "GOMEMLIMIT=${VICTORIALOGS_GOMEMLIMIT:-64MiB}"; }

healthy() { [[ $(curl -fsS --max-time 2 "$VICTORIALOGS_URL/health" 2>/dev/null) == OK ]]; }
runs_installed_binary() {
  local pid
  pid=$(pid_of victorialogs) && [[ $(readlink "/proc/$pid/exe") == "$BIN" ]]
}

start() {
  if healthy && runs_installed_binary && [[ -s $STARTED && $(<"$STARTED") == "$(args; go_env)" ]]; then
    info "victorialogs: up at $VICTORIALOGS_URL"
    return
  fi
  install
  pid_of victorialogs >/dev/null && stop_daemon victorialogs
  require_port_free "$VICTORIALOGS_PORT" victorialogs
  ensure_dirs "$STORE"
  chmod 700 "$STORE"
  step "starting victoria-logs on $VICTORIALOGS_URL (data: $STORE, retention $VICTORIALOGS_RETENTION)"
  local a e
  mapfile -t a < <(args)
  mapfile -t e < <(go_env)
  (export "${e[@]}" && start_daemon victorialogs "$BIN" "${a[@]}")
  { args; go_env; } >"$STARTED"
  wait_until victorialogs 30 healthy || die "victorialogs did not come up, see $LOG_DIR/victorialogs.log"
}

stop() { stop_daemon victorialogs 30; }

status() {
  if healthy; then info "victorialogs: up at $VICTORIALOGS_URL"; else
    info "victorialogs: down"
    return 1
  fi
}

# One install/start/stop at a time (up.sh and a test run may both start it).
lock_victorialogs() {
  ensure_dirs
  exec 8>"$RUN_DIR/victorialogs.lock"
  flock -w 300 8 || die "gave up waiting for $RUN_DIR/victorialogs.lock"
}

case ${1:-} in
install | start | stop)
  lock_victorialogs
  "$1"
  ;;
status) status ;;
*) die "usage: $0 install|start|stop|status" ;;
esac
