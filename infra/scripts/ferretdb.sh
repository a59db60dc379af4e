#!/usr/bin/env bash
# FerretDB (MongoDB wire protocol) on 127.0.0.1:27017 with the SQLite backend: no database server
# to run, data files under $DATA/ferretdb. Usage: ferretdb.sh start|stop|status
# Health is a real MongoDB command over the wire (see mongo_ping), not just an open port.
# No anonymous clients: FerretDB's authentication (--test-enable-new-auth, SCRAM) with one user,
# `gateway` (the read store's only reader and writer), its password in $DATA/secrets/ferretdb/gateway
# (0600). FerretDB has no per-user authorisation, so one user is all a role could give.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_dirs "$DATA/ferretdb/data" "$DATA/ferretdb/state"
chmod 700 "$DATA/ferretdb" # the SQLite files are created 0644
CREDS="$DATA/secrets/ferretdb"
(umask 077 && mkdir -p "$CREDS")
if [[ ! -s $CREDS/gateway ]]; then
  (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$CREDS/gateway.tmp" && mv "$CREDS/gateway.tmp" "$CREDS/gateway")
fi
AUTH_MARK="$RUN_DIR/ferretdb.auth" # written when the running process was started with authentication

BIN="$BIN_DIR/ferretdb"
# No Go settings (GOGC, GOMEMLIMIT): its Go heap is small (1-13 MB live under a load of 60,000
# inserts and queries); the rest of its RSS is the binary's pages and SQLite's memory, outside Go's GC.
# GOGC=50 made those queries ~50% slower and saved 0-2 MB (ADR 0026).
# SQLite's page cache: 512 KiB per connection instead of SQLite's 2 MB. FerretDB keeps every
# connection it opened (up to 100 per database, never closed when idle), each with its own cache,
# outside Go's heap; the files stay in the kernel's page cache either way (ADR 0026).
SQLITE_URL="file:$DATA/ferretdb/data/?_pragma=cache_size(-512)"

# mongo_ping: sends OP_MSG {ping: 1, $db: "admin"} and checks the reply carries ok: 1.0. In
# FerretDB 1.24 ping asks the SQLite backend for its status, and anonymous clients may send it
# (listDatabases would need a sign-in). No client library is needed: bash's /dev/tcp and printf.
mongo_ping() {
  local reply
  reply=$(
    exec 2>/dev/null # bash reports a refused connection on stderr; that just means "down"
    exec 3<>"/dev/tcp/127.0.0.1/$MONGO_PORT" || exit 1
    # header: length 51, requestID 1, responseTo 0, opCode 2013 (OP_MSG); flags 0; section kind 0
    printf '\x33\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00' >&3
    # BSON {ping: int32 1, $db: "admin"}, 30 bytes
    printf '\x1e\x00\x00\x00\x10ping\x00\x01\x00\x00\x00\x02$db\x00\x06\x00\x00\x00admin\x00\x00' >&3
    timeout 3 dd bs=65536 count=1 status=none <&3 | od -An -v -tx1 | tr -d ' \n'
  ) || return 1
  # "\x01ok\x00" followed by the double 1.0
  [[ $reply == *016f6b00000000000000f03f* ]]
}
healthy() { mongo_ping; }

# The running process was started from the binary installed now (a rebuilt one replaces the file,
# and the old process's /proc/<pid>/exe then reads "... (deleted)").
runs_installed_binary() {
  local pid
  pid=$(pid_of ferretdb) && [[ $(readlink "/proc/$pid/exe") == "$BIN" ]]
}
# ... and with the settings written here now.
runs_current_settings() {
  local pid
  pid=$(pid_of ferretdb) && [[ $(tr '\0' '\n' <"/proc/$pid/cmdline") == *"--sqlite-url=$SQLITE_URL"* ]]
}

start() {
  if healthy && runs_installed_binary && runs_current_settings && [[ -s $AUTH_MARK && $(<"$AUTH_MARK") == "$(pid_of ferretdb)" ]]; then
    info "ferretdb: up at mongodb://127.0.0.1:$MONGO_PORT"
    return
  fi
  healthy && info "ferretdb: restarting (a newly installed binary, other settings, or it ran without authentication)"
  [[ -x $BIN ]] || die "$BIN is missing: run install.sh ferretdb"
  pid_of ferretdb >/dev/null && stop_daemon ferretdb
  require_port_free "$MONGO_PORT" ferretdb
  require_port_free "$FERRETDB_DEBUG_PORT" "ferretdb debug"
  step "starting ferretdb on 127.0.0.1:$MONGO_PORT (sqlite: $DATA/ferretdb/data)"
  # The setup user is created on the first start with authentication and kept from then on; the
  # password goes in the environment, not argv (ps shows argv to everyone).
  FERRETDB_SETUP_PASSWORD=$(<"$CREDS/gateway") start_daemon ferretdb "$BIN" --handler=sqlite \
    --sqlite-url="$SQLITE_URL" --listen-addr="127.0.0.1:$MONGO_PORT" \
    --debug-addr="127.0.0.1:$FERRETDB_DEBUG_PORT" --state-dir="$DATA/ferretdb/state" --telemetry=disable \
    --test-enable-new-auth --setup-username=gateway --setup-database=admin
  pid_of ferretdb >"$AUTH_MARK"
  wait_until "ferretdb" 30 healthy || die "ferretdb did not come up, see $LOG_DIR/ferretdb.log"
}

stop() { stop_daemon ferretdb 30; }

status() {
  if healthy; then info "ferretdb: up at mongodb://127.0.0.1:$MONGO_PORT"; else
    info "ferretdb: down"
    return 1
  fi
}

case ${1:-} in
start | stop | status) "$1" ;;
*) die "usage: $0 start|stop|status" ;;
esac
