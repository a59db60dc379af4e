#!/usr/bin/env bash
# Mailpit, a real SMTP server with an HTTP API to read what arrived: the tests' mailbox for alert
# emails (the platform itself needs none: its SMTP server is an instance setting). SMTP on
# 127.0.0.1:$MAILPIT_SMTP_PORT, API and web UI on 127.0.0.1:$MAILPIT_HTTP_PORT, messages in
# $DATA/mailpit (0700). Loopback only; it accepts any sender, recipient and (no) password.
#   install  go install from the Go module proxy into $DATA/toolchain/mailpit-<version>
#   start    install if needed, then run it as a daemon; already running and healthy: says so
#   stop | status
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MAILPIT_VERSION=v1.33.1
MAILPIT_SMTP_PORT=${MAILPIT_SMTP_PORT:-1025}
MAILPIT_HTTP_PORT=${MAILPIT_HTTP_PORT:-8025}
MAILPIT_URL="http://127.0.0.1:$MAILPIT_HTTP_PORT"
HOME_DIR="$DATA/toolchain/mailpit-${MAILPIT_VERSION#v}"
BIN="$HOME_DIR/bin/mailpit"
STORE="$DATA/mailpit"
STARTED="$RUN_DIR/mailpit.args"

installed() { [[ -x $BIN ]]; }

install() {
  if installed; then
    info "mailpit $MAILPIT_VERSION: present in $HOME_DIR"
    return
  fi
  go_install mailpit "github.com/axllent/mailpit@$MAILPIT_VERSION" "$HOME_DIR"
}

args() {
  printf '%s\n' "--listen=127.0.0.1:$MAILPIT_HTTP_PORT" "--smtp=127.0.0.1:$MAILPIT_SMTP_PORT" \
    "--database=$STORE/mailpit.db" "--max=2000" "--quiet" "--disable-version-check" \
    "--smtp-auth-allow-insecure" "--smtp-auth-accept-any"
}

healthy() { curl -fsS --max-time 2 "$MAILPIT_URL/livez" >/dev/null 2>&1; }
runs_installed_binary() {
  local pid
  pid=$(pid_of mailpit) && [[ $(readlink "/proc/$pid/exe") == "$BIN" ]]
}

start() {
  if healthy && runs_installed_binary && [[ -s $STARTED && $(<"$STARTED") == "$(args)" ]]; then
    info "mailpit: up at $MAILPIT_URL (smtp 127.0.0.1:$MAILPIT_SMTP_PORT)"
    return
  fi
  install
  pid_of mailpit >/dev/null && stop_daemon mailpit
  require_port_free "$MAILPIT_SMTP_PORT" mailpit
  require_port_free "$MAILPIT_HTTP_PORT" mailpit
  ensure_dirs "$STORE"
  chmod 700 "$STORE"
  step "starting mailpit: smtp 127.0.0.1:$MAILPIT_SMTP_PORT, api $MAILPIT_URL (data: $STORE)"
  local a
  mapfile -t a < <(args)
  start_daemon mailpit "$BIN" "${a[@]}"
  args >"$STARTED"
  wait_until mailpit 30 healthy || die "mailpit did not come up, see $LOG_DIR/mailpit.log"
}

stop() { stop_daemon mailpit 30; }

status() {
  if healthy; then info "mailpit: up at $MAILPIT_URL (smtp 127.0.0.1:$MAILPIT_SMTP_PORT)"; else
    info "mailpit: down"
    return 1
  fi
}

lock_mailpit() {
  ensure_dirs
  exec 8>"$RUN_DIR/mailpit.lock"
  flock -w 300 8 || die "gave up waiting for $RUN_DIR/mailpit.lock"
}

case ${1:-} in
install | start | stop)
  lock_mailpit
  "$1"
  ;;
status) status ;;
*) die "usage: $0 install|start|stop|status" ;;
esac
