#!/usr/bin/env bash
# A two-node Docker Swarm on one machine, for multi-node tests (docs/multi-node.md).
# Usage: second-node.sh up|down|status|check|env
#
#   up      two scratch Docker Engines, each in a network namespace of its own (slmn-a, slmn-b)
#           joined by a veth pair on $MN_NET.0/24 (a = .1, b = .2); a swarm with a as manager
#           (advertised on its veth address, not 127.0.0.1) and b as worker; b labelled
#           slipway.build=true; a registry (docker-registry, no auth) on a's address that both
#           engines pull from, holding slmn/tools:1 (busybox, caddy and the docker CLI of the host).
#   check   an overlay network; an app with 2 replicas (one per node, dnsrr like Slipway's apps)
#           reached from a container on a at each task's address; Caddy on a proxying to
#           tasks.<app> (both tasks must answer); an image built on b (the build node), pushed to
#           the registry, and a job constrained to node.labels.slipway.build==true that lands on b.
#   down    removes all of it: engines stopped, namespaces, veths, cgroups and $MN_DIR gone.
#   env     prints DOCKER_HOST for each engine (eval-able).
#
# The platform's dockerd (/var/run/docker.sock, its swarm on 127.0.0.1) is never touched: the
# scratch engines have their own data root, exec root, socket, pid file, containerd namespace and
# cgroup parent, and run in a mount namespace where /run/containerd is a fresh tmpfs (a system
# containerd there would otherwise be shared) and a UTS namespace (node names slmn-a, slmn-b).
# Their iptables rules live in their own network namespaces; the root namespace gets nothing.
# Needs root, and a kernel with overlayfs, vxlan and bridge (checked by `up`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MN_DIR=${SLIPWAY_MULTINODE_DIR:-/tmp/slmn}
MN_NET=${SLIPWAY_MULTINODE_NET:-10.213.0} # a /24 of the veth pair; must not overlap MN_POOL
MN_POOL=${SLIPWAY_MULTINODE_POOL:-10.214.0.0/16} # the swarm's overlay subnets
NODES=(a b)

addr() { [[ $1 == a ]] && echo "$MN_NET.1" || echo "$MN_NET.2"; }
REG="$MN_NET.1:5000"
TOOLS=$REG/slmn/tools:1
sock() { echo "$MN_DIR/$1/docker.sock"; }
dk() { local n=$1; shift; timeout 120 docker -H "unix://$(sock "$n")" "$@"; }
engine_ok() { [[ -S $(sock "$1") ]] && timeout 10 docker -H "unix://$(sock "$1")" info >/dev/null 2>&1; }
# engine_starting N DIR: true once N answers; exits the wait early when its dockerd has died.
engine_starting() {
  engine_ok "$1" && return 0
  [[ -s $2/docker.pid ]] && ! pid_from "$2/docker.pid" dockerd >/dev/null && return 0
  return 1
}
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
took() { printf '%d.%02ds' $((($(now_ms) - $1) / 1000)) $(((($(now_ms) - $1) % 1000) / 10)); }
pid_from() { [[ -s $1 ]] && read -r p <"$1" && alive "$p" && [[ "$(cat "/proc/$p/comm")" == "$2" ]] && echo "$p"; }

preflight() {
  [[ $EUID == 0 ]] || die "run as root (network namespaces and dockerd need it)"
  local c
  for c in dockerd docker ip unshare docker-registry busybox caddy; do
    command -v "$c" >/dev/null || die "$c is not installed"
  done
  grep -qw overlay /proc/filesystems || die "the kernel has no overlay filesystem (dockerd's storage driver)"
  ip netns add slmn-probe
  local err=""
  err=$(ip netns exec slmn-probe sh -c 'ip link add v0 type vxlan id 7 dstport 4789 dev lo 2>&1 &&
    ip link add b0 type bridge 2>&1 && iptables -t nat -S >/dev/null 2>&1 || echo "iptables in a netns fails"') || true
  ip netns del slmn-probe
  [[ -z $err ]] || die "this kernel cannot run overlay networks in a network namespace: $err"
}

net_up() {
  local n
  for n in "${NODES[@]}"; do
    [[ -e /run/netns/slmn-$n ]] || ip netns add "slmn-$n"
  done
  if ! ip -n slmn-a link show slmn-a0 >/dev/null 2>&1; then
    ip link add slmn-a0 netns slmn-a type veth peer name slmn-b0 netns slmn-b
  fi
  for n in "${NODES[@]}"; do
    ip -n "slmn-$n" link set lo up
    ip -n "slmn-$n" addr replace "$(addr "$n")/24" dev "slmn-${n}0"
    ip -n "slmn-$n" link set "slmn-${n}0" up
  done
}

engine_up() {
  local n=$1 d="$MN_DIR/$1" t0
  t0=$(now_ms)
  engine_ok "$n" && { info "engine $n: running"; return; }
  mkdir -p "$d/data" "$d/exec"
  printf '{"insecure-registries": ["%s"]}\n' "$REG" >"$d/daemon.json"
  # Not `ip netns exec`: it remounts /sys for the namespace, which hides the cgroup mounts under
  # /sys/fs/cgroup ("failed to start daemon: Devices cgroup isn't mounted"). nsenter enters the
  # network namespace only; unshare adds a mount namespace (for the tmpfs) and the hostname.
  # shellcheck disable=SC2016 # expanded by the inner bash
  nsenter --net="/run/netns/slmn-$n" unshare --mount --propagation slave --uts setsid bash -c '
    hostname "slmn-$1"; mount -t tmpfs -o size=4m tmpfs /run/containerd
    exec dockerd --config-file "$2/daemon.json" --data-root "$2/data" --exec-root "$2/exec" \
      -H "unix://$2/docker.sock" --pidfile "$2/docker.pid" --containerd-namespace "slmn-$1" \
      --containerd-plugins-namespace "slmn-$1-plugins" --cgroup-parent "slmn-$1" --no-new-privileges' \
    _ "$n" "$d" </dev/null >>"$d/dockerd.log" 2>&1 9>&- &
  wait_until "engine $n" 60 engine_starting "$n" "$d" || true
  engine_ok "$n" || die "engine $n did not come up, see $d/dockerd.log: $(tail -n 5 "$d/dockerd.log")"
  info "engine $n: up in $(took "$t0") ($(addr "$n"), socket $(sock "$n"))"
}

registry_up() {
  local d="$MN_DIR/registry"
  pid_from "$d/pid" docker-registry >/dev/null && return
  mkdir -p "$d/data"
  cat >"$d/config.yml" <<EOF
version: 0.1
storage: { filesystem: { rootdirectory: $d/data }, delete: { enabled: true } }
http: { addr: "$REG" }
EOF
  # shellcheck disable=SC2016 # expanded by the inner bash
  nsenter --net=/run/netns/slmn-a setsid bash -c 'echo $$ >"$0/pid"; exec docker-registry serve "$0/config.yml"' "$d" \
    </dev/null >>"$d/registry.log" 2>&1 9>&- &
  wait_until "registry on $REG" 20 ip netns exec slmn-b busybox wget -q -O /dev/null "http://$REG/v2/" ||
    die "the registry did not start, see $d/registry.log"
}

swarm_up() {
  local state token t0
  t0=$(now_ms)
  state=$(dk a info --format '{{.Swarm.LocalNodeState}}')
  if [[ $state != active ]]; then
    dk a swarm init --advertise-addr "$(addr a)" --listen-addr "$(addr a):2377" \
      --default-addr-pool "$MN_POOL" --default-addr-pool-mask-length 24 >/dev/null
  fi
  if [[ "$(dk b info --format '{{.Swarm.LocalNodeState}}')" != active ]]; then
    token=$(dk a swarm join-token -q worker)
    dk b swarm join --token "$token" --advertise-addr "$(addr b)" --listen-addr "$(addr b):2377" "$(addr a):2377" >/dev/null
  fi
  wait_until "node b to be ready" 60 bash -c "[[ \$(docker -H unix://$(sock a) node inspect slmn-b --format '{{.Status.State}}') == ready ]]" ||
    die "node b did not become ready: $(dk a node ls 2>&1)"
  dk a node update --label-add slipway.build=true slmn-b >/dev/null
  info "swarm: $(dk a node ls --format '{{.Hostname}}/{{.ManagerStatus}}/{{.Status}}' | tr '\n' ' ')(init + join + ready: $(took "$t0"))"
}

# tools_image: busybox, caddy and the docker CLI from the host (all three run without anything
# else: Docker Hub is not reachable here), imported on a and pushed to the registry, from which
# b pulls it like any node pulls an app's image.
tools_image() {
  local root="$MN_DIR/tools-rootfs" lib
  dk a image inspect "$TOOLS" >/dev/null 2>&1 &&
    nsenter --net=/run/netns/slmn-a busybox wget -q -O /dev/null "http://$REG/v2/slmn/tools/manifests/1" 2>/dev/null && return
  rm -rf "$root"
  mkdir -p "$root/bin" "$root/usr/bin" "$root/tmp" "$root/www" "$root/etc"
  cp /usr/bin/busybox "$root/bin/"
  /usr/bin/busybox --list | grep -vx busybox | while read -r lib; do ln -sf busybox "$root/bin/$lib"; done
  cp "$(command -v caddy)" "$root/usr/bin/caddy"
  cp "$(command -v docker)" "$root/usr/bin/docker" # static: builds run by a job on the build node
  for lib in $(ldd "$(command -v caddy)" | grep -o '/[^ ]*'); do mkdir -p "$root${lib%/*}" && cp -L "$lib" "$root$lib"; done
  echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
  tar --numeric-owner -C "$root" -cf "$MN_DIR/tools.tar" .
  dk a import -c 'ENV PATH=/bin:/usr/bin' "$MN_DIR/tools.tar" "$TOOLS" >/dev/null
  dk a push -q "$TOOLS" >/dev/null
  rm -rf "$root" "$MN_DIR/tools.tar"
  info "image $TOOLS pushed to the registry"
}

up() {
  preflight
  mkdir -p "$MN_DIR"
  step "network namespaces slmn-a ($(addr a)) and slmn-b ($(addr b))"
  net_up
  step "scratch engines"
  engine_up a
  engine_up b
  registry_up
  step "swarm: a manager, b worker (label slipway.build=true)"
  swarm_up
  tools_image
  info "ready; $(basename "$0") check runs the multi-node checks; eval \"\$($0 env)\" for DOCKER_HOST_A/B"
}

down() {
  local n p d
  step "removing the two-node test swarm"
  for n in "${NODES[@]}"; do
    engine_ok "$n" || continue
    dk "$n" service ls -q 2>/dev/null | xargs -r timeout 60 docker -H "unix://$(sock "$n")" service rm >/dev/null 2>&1 || true
    dk "$n" swarm leave --force >/dev/null 2>&1 || true
  done
  for n in "${NODES[@]}" registry; do
    d="$MN_DIR/$n"
    p=$(pid_from "$d/docker.pid" dockerd || pid_from "$d/pid" docker-registry) || continue
    kill -TERM "$p"
    wait_until "$n (pid $p) to exit" 30 dead "$p" || kill -KILL "$p"
  done
  for n in "${NODES[@]}"; do
    ip netns pids "slmn-$n" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    [[ -e /run/netns/slmn-$n ]] && ip netns del "slmn-$n"
    # cgroups of the engines' containers (cgroupfs driver, --cgroup-parent slmn-<node>)
    find /sys/fs/cgroup -maxdepth 3 -type d -name "slmn-$n" 2>/dev/null | while read -r d; do
      find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
  done
  ip netns del slmn-probe 2>/dev/null || true
  # Nothing is mounted under $MN_DIR in this mount namespace: the engines' mounts lived in theirs.
  if [[ -d $MN_DIR ]]; then
    grep -q " $MN_DIR/" /proc/mounts && die "$MN_DIR still has mounts: $(grep " $MN_DIR/" /proc/mounts | head -3)"
    rm -rf "$MN_DIR"
  fi
  info "down: no slmn namespace, engine or $MN_DIR left"
}

status() {
  local n ok=0
  for n in "${NODES[@]}"; do
    if engine_ok "$n"; then info "engine $n: $(dk "$n" info --format '{{.Name}} swarm={{.Swarm.LocalNodeState}} {{.Swarm.NodeAddr}}')"; else info "engine $n: down"; ok=1; fi
  done
  return $ok
}

case ${1:-} in
up | down | status) "$1" ;;
check) source "$SCRIPTS_DIR/second-node-check.sh" ;;
env) for n in "${NODES[@]}"; do echo "export DOCKER_HOST_${n^^}=unix://$(sock "$n")"; done ;;
*) die "usage: $0 up|down|status|check|env" ;;
esac
