#!/usr/bin/env bash
# Docker Engine in single-node Swarm mode. Usage: docker.sh start|stop|status
# There is no init system, so dockerd runs as a background daemon of ours; its images, volumes and
# swarm state live in $DATA/docker. A dockerd that already answers (started by someone else) is
# used as it is and never stopped by us.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_dirs

healthy() { docker_ok && swarm_active; }

start() {
  local pid
  # A dockerd of ours started before --no-new-privileges was ours to set: restart it with it (the
  # swarm's services come back with it).
  if pid=$(pid_of docker) && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- '--no-new-privileges'; then
    step "restarting dockerd with --no-new-privileges"
    stop_daemon docker 60
  fi
  if ! docker_ok; then
    step "starting dockerd (data: $DATA/docker, log: $LOG_DIR/docker.log)"
    # --no-new-privileges: no container gains privileges through setuid binaries (Docker 20.10
    # ignores the per-service setting; this one holds for every container, builds included).
    start_daemon docker dockerd --data-root "$DATA/docker" --no-new-privileges
    wait_until "docker info" 60 docker_ok || die "dockerd did not come up, see $LOG_DIR/docker.log: $(tail -n 5 "$LOG_DIR/docker.log")"
  fi
  local state
  state=$(docker info --format '{{.Swarm.LocalNodeState}}')
  case $state in
  active) ;;
  inactive)
    # 127.0.0.1: a one-node swarm that is not reachable from other machines.
    step "docker swarm init --advertise-addr 127.0.0.1"
    docker swarm init --advertise-addr 127.0.0.1 >>"$LOG_DIR/docker.log" 2>&1 || die "docker swarm init failed, see $LOG_DIR/docker.log"
    ;;
  *) die "this Docker node's swarm state is '$state': fix it (docker swarm leave --force) and retry" ;;
  esac
  # Swarm creates docker_gwbridge lazily on some versions; Pebble and Caddy's admin API use it.
  wait_until "swarm to be ready" 30 bash -c 'docker node ls >/dev/null && docker network inspect docker_gwbridge >/dev/null' ||
    die "the swarm did not become ready (no docker_gwbridge network), see $LOG_DIR/docker.log"
  info "docker: $(docker version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}'), swarm active, gateway bridge $(gwbridge_gateway)"
}

stop() {
  if pid_of docker >/dev/null; then
    step "stopping dockerd (containers stop; swarm services restart with it)"
    stop_daemon docker 60
  elif docker_ok; then
    info "dockerd was not started by these scripts: leaving it running"
  else
    info "docker is not running"
  fi
}

status() {
  if healthy; then
    info "docker: running, swarm active, gateway bridge $(gwbridge_gateway)"
  else
    info "docker: not healthy (docker info fails or swarm inactive)"
    return 1
  fi
}

case ${1:-} in
start | stop | status) "$1" ;;
*) die "usage: $0 start|stop|status" ;;
esac
