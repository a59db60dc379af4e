#!/usr/bin/env bash
# A real git host for the tests (preview environments need signed webhooks, pull requests and git
# over HTTP): Gitea, on 127.0.0.1:$GITEA_PORT only, never started by `npm start`.
#   install  build Gitea from the Go module proxy into $DATA/toolchain/gitea-<version> (~4 min on
#            2 cores the first time; a second run finds it there and takes a second)
#   start    run it as the system user `git` (Gitea refuses root), sqlite, no SSH, no registration,
#            webhooks allowed to loopback targets; an admin user is created once, its password in
#            $DATA/secrets/gitea/admin (0600). Already running: says so. Writes $RUN_DIR/gitea.env.
#   stop | status
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GITEA_VERSION=v1.26.0
GITEA_PORT=3300
GITEA_URL="http://127.0.0.1:$GITEA_PORT"
GITEA_USER=git               # the system user Gitea runs as
GITEA_ADMIN=slipway-admin    # "admin" is a name Gitea reserves
HOME_DIR="$DATA/toolchain/gitea-${GITEA_VERSION#v}" # bin/gitea and src/ (templates and options are read from it)
BIN="$HOME_DIR/bin/gitea"
SRC="$HOME_DIR/src"
WORK="$DATA/gitea-test" # everything Gitea writes; owned by $GITEA_USER
INI="$WORK/app.ini"
CREDS="$DATA/secrets/gitea"
ENV_FILE="$RUN_DIR/gitea.env"

# One install/start/stop at a time: two test runs may ask for Gitea at once.
lock_gitea() {
  ensure_dirs
  exec 8>"$RUN_DIR/gitea.lock"
  flock -w 900 8 || die "gave up waiting for $RUN_DIR/gitea.lock"
}

installed() { [[ -x $BIN && -d $SRC/options && $("$BIN" --version 2>/dev/null) == *"version ${GITEA_VERSION#v} "* ]]; }

install() {
  if installed; then
    info "gitea $GITEA_VERSION: present in $HOME_DIR"
    return
  fi
  command -v go >/dev/null || die "go is needed to build Gitea (see preflight.sh)"
  ensure_dirs "$DATA/toolchain"
  local log="$LOG_DIR/gitea-build.log" t0=$SECONDS dir tmp
  step "building Gitea $GITEA_VERSION with go (about 4 min on 2 cores the first time; log: $log)"
  : >"$log"
  dir=$(cd "$CACHE_DIR" && go mod download -json "code.gitea.io/gitea@$GITEA_VERSION" 2>>"$log" |
    sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -d $dir ]] || die "go mod download of Gitea failed, see $log: $(tail -n 5 "$log")"
  info "module source: $dir ($((SECONDS - t0))s)"
  tmp=$(mktemp -d "$DATA/toolchain/gitea.XXXXXX")
  cp -r "$dir" "$tmp/src"
  chmod -R u+w,a+rX "$tmp/src"
  mkdir -p "$tmp/bin"
  # -v names each package as it is compiled: the count below is the progress.
  (cd "$tmp/src" && go build -v -trimpath -tags "sqlite sqlite_unlock_notify" \
    -ldflags "-s -w -X main.Version=${GITEA_VERSION#v} -X 'main.Tags=sqlite sqlite_unlock_notify'" \
    -o "$tmp/bin/gitea" .) >>"$log" 2>&1 &
  local build=$! status=0 last=$SECONDS
  while alive "$build"; do
    if ((SECONDS - last >= 15)); then
      last=$SECONDS
      info "go build: $((SECONDS - t0))s, $(grep -c . "$log") packages compiled"
    fi
    sleep 1
  done
  wait "$build" || status=$?
  if ((status != 0)); then
    rm -rf "$tmp"
    die "go build of Gitea failed, see $log: $(tail -n 5 "$log")"
  fi
  rm -rf "$HOME_DIR"
  mv "$tmp" "$HOME_DIR"
  chmod 755 "$HOME_DIR"
  installed || die "$BIN does not report version $GITEA_VERSION: $("$BIN" --version 2>&1 | head -n 1)"
  info "gitea: $("$BIN" --version) built in $((SECONDS - t0))s"
}

runs_gitea() { [[ $(cat "/proc/$1/comm" 2>/dev/null) == gitea ]]; }
# The running process is the binary installed now (a rebuild replaces it: "(deleted)").
runs_installed_binary() {
  local pid
  pid=$(pid_of gitea) && [[ $(readlink "/proc/$pid/exe") == "$BIN" ]]
}
healthy() { [[ $(curl -fsS --max-time 2 "$GITEA_URL/api/healthz" 2>/dev/null) == *'"status": "pass"'* ]]; }

# as_git CMD...: CMD as the git user, in Gitea's work directory (setpriv execs: the pid is Gitea's).
as_git() {
  (cd "$WORK" && HOME="$WORK" USER=$GITEA_USER GITEA_WORK_DIR="$WORK" \
    setpriv --reuid="$GITEA_USER" --regid="$GITEA_USER" --init-groups "$@")
}

random_secret() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

# secret NAME: a random value kept in $CREDS/NAME (0600), made on first use.
secret() {
  [[ -s $CREDS/$1 ]] || (umask 077 && random_secret >"$CREDS/$1.tmp" && mv "$CREDS/$1.tmp" "$CREDS/$1")
  cat "$CREDS/$1"
}

write_ini() {
  # Gitea reads app.ini and may write to it; the secrets in it are kept in $CREDS, so a rewrite
  # keeps them. 0600 and owned by git: only Gitea (and root) can read the keys.
  (umask 077 && cat >"$INI.tmp") <<EOF
APP_NAME = Slipway test Gitea
RUN_USER = $GITEA_USER
RUN_MODE = prod
WORK_PATH = $WORK

[server]
PROTOCOL = http
HTTP_ADDR = 127.0.0.1
HTTP_PORT = $GITEA_PORT
DOMAIN = 127.0.0.1
ROOT_URL = $GITEA_URL/
DISABLE_SSH = true
START_SSH_SERVER = false
OFFLINE_MODE = true
LFS_START_SERVER = false
APP_DATA_PATH = $WORK/data
STATIC_ROOT_PATH = $SRC

[database]
DB_TYPE = sqlite3
PATH = $WORK/data/gitea.db
SQLITE_JOURNAL_MODE = WAL

[repository]
ROOT = $WORK/repositories
DEFAULT_BRANCH = main

[security]
INSTALL_LOCK = true
SECRET_KEY = $(secret secret-key)
INTERNAL_TOKEN = $(secret internal-token)

[oauth2]
ENABLED = false
; Gitea writes one into app.ini when there is none, even when disabled
JWT_SECRET = $(secret jwt-secret)

[service]
DISABLE_REGISTRATION = true
REQUIRE_SIGNIN_VIEW = true
DEFAULT_KEEP_EMAIL_PRIVATE = true

[webhook]
; loopback targets only: the tests' receivers listen on 127.0.0.1
ALLOWED_HOST_LIST = loopback
DELIVER_TIMEOUT = 10

[indexer]
ISSUE_INDEXER_TYPE = db
REPO_INDEXER_ENABLED = false

[session]
PROVIDER = memory

[cache]
ADAPTER = memory

[mailer]
ENABLED = false

[cron.update_checker]
ENABLED = false

[log]
MODE = console
LEVEL = Warn
EOF
  replace_if_changed "$INI"
  chown "$GITEA_USER:$GITEA_USER" "$INI"
}

prepare() {
  installed || die "Gitea $GITEA_VERSION is not installed: run $0 install"
  if ! id -u "$GITEA_USER" >/dev/null 2>&1; then
    info "creating the system user $GITEA_USER (Gitea refuses to run as root)"
    useradd --system --user-group --home-dir "$WORK" --no-create-home --shell /usr/sbin/nologin "$GITEA_USER"
  fi
  ensure_dirs
  (umask 077 && mkdir -p "$CREDS" "$WORK/data" "$WORK/repositories")
  chown -R "$GITEA_USER:$GITEA_USER" "$WORK"
  chmod 700 "$WORK"
  write_ini
  if [[ ! -s $WORK/data/gitea.db ]]; then
    info "creating Gitea's database"
    as_git "$BIN" migrate -c "$INI" >>"$LOG_DIR/gitea.log" 2>&1 || die "gitea migrate failed, see $LOG_DIR/gitea.log"
  fi
  if [[ ! -e $WORK/admin-created ]]; then
    local password admins
    password=$(secret admin)
    # Read whole, then matched: `list | grep -q` under pipefail fails when grep's early exit cuts the list.
    admins=$(as_git "$BIN" admin user list --admin -c "$INI" 2>>"$LOG_DIR/gitea.log" | awk 'NR > 1 {print $2}') ||
      die "gitea admin user list failed, see $LOG_DIR/gitea.log"
    if grep -qx "$GITEA_ADMIN" <<<"$admins"; then
      as_git "$BIN" admin user change-password --username "$GITEA_ADMIN" --password "$password" \
        --must-change-password=false -c "$INI" >>"$LOG_DIR/gitea.log" 2>&1 || die "could not reset $GITEA_ADMIN's password"
    else
      info "creating the admin user $GITEA_ADMIN (password in $CREDS/admin)"
      as_git "$BIN" admin user create --admin --username "$GITEA_ADMIN" --password "$password" \
        --email "$GITEA_ADMIN@slipway.test" --must-change-password=false -c "$INI" >>"$LOG_DIR/gitea.log" 2>&1 ||
        die "could not create the Gitea admin user, see $LOG_DIR/gitea.log"
    fi
    touch "$WORK/admin-created"
  fi
  write_env
}

# $RUN_DIR/gitea.env: where the tests find Gitea and its admin (libs/testing/src/e2e/gitea.fixture.ts).
write_env() {
  printf 'GITEA_URL=%s\nGITEA_ADMIN_USER=%s\nGITEA_ADMIN_PASSWORD_FILE=%s\n' "$GITEA_URL" "$GITEA_ADMIN" "$CREDS/admin" >"$ENV_FILE.tmp"
  replace_if_changed "$ENV_FILE"
}

start() {
  if healthy && runs_installed_binary; then
    write_env
    info "gitea: already running at $GITEA_URL (pid $(pid_of gitea))"
    return
  fi
  local t0=$SECONDS
  pid_of gitea >/dev/null && stop_daemon gitea
  require_port_free "$GITEA_PORT" gitea
  prepare
  step "starting gitea at $GITEA_URL as $GITEA_USER (data: $WORK)"
  (cd "$WORK" && HOME="$WORK" USER=$GITEA_USER GITEA_WORK_DIR="$WORK" start_daemon gitea \
    setpriv --reuid="$GITEA_USER" --regid="$GITEA_USER" --init-groups "$BIN" web -c "$INI")
  # start_daemon may have recorded setpriv's name before it exec'd Gitea: record Gitea's.
  local pid
  pid=$(head -n 1 "$(pidfile gitea)")
  wait_until "gitea (pid $pid) to exec" 5 runs_gitea "$pid" || die "gitea did not start, see $LOG_DIR/gitea.log"
  printf '%s\ngitea\n' "$pid" >"$(pidfile gitea)"
  wait_until gitea 60 healthy || die "gitea did not come up, see $LOG_DIR/gitea.log: $(tail -n 5 "$LOG_DIR/gitea.log")"
  info "gitea: up at $GITEA_URL in $((SECONDS - t0))s"
}

stop() { stop_daemon gitea 30; }

status() {
  if healthy; then info "gitea: up at $GITEA_URL"; else
    info "gitea: down"
    return 1
  fi
}

case ${1:-} in
install | start | stop)
  lock_gitea
  "$1"
  ;;
status) status ;;
*) die "usage: $0 install|start|stop|status" ;;
esac
