#!/usr/bin/env bash
# `npm start`: installs what is missing, starts the local infrastructure and Slipway's control
# plane in one Node process (every service and the gateway; SLIPWAY_SERVICES=gateway,build runs a
# subset, so that other machines run the rest), prints the console URL, and stays in the foreground.
#
# Ctrl-C (or SIGTERM) stops the control plane this run started: the Slipway processes, and NATS
# and FerretDB if this run started them. The data plane — Docker, the registry, Caddy, Pebble and
# the apps — keeps serving; `npm run stop` stops everything. A busy process gets 10 s, then KILL.
# Started again while an earlier run is still starting or stopping, it waits for that run.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scripts="$repo/infra/scripts"
parts="${SLIPWAY_SERVICES:-all}"
# The control plane's own infrastructure (the bus, the read store, the logs and metrics stores): stopped with it when this run started it.
control_infra=(nats ferretdb victorialogs victoriametrics)
port="${GATEWAY_PORT:-4000}"
console="http://127.0.0.1:$port/"
data="${SLIPWAY_DATA_DIR:-/var/lib/slipway}"

# Ready when the gateway's /health says so; a subset without the gateway answers on HEALTH_PORT.
if [[ $parts == all || ,$parts, == *,gateway,* ]]; then health_url="http://127.0.0.1:$port/health"; else health_url="http://127.0.0.1:${HEALTH_PORT:-4100}/health"; fi
ready() { curl -fs -o /dev/null --max-time 2 "$health_url"; }
say_running() {
  echo "Slipway is already running."
  echo "Console: $console"
  echo "API:     ${console}graphql"
}
if ready; then say_running; exit 0; fi

# One `npm start` at a time: a run holds this lock from start to the end of its stop.
mkdir -p "$data/run"
exec 8>"$data/run/start.lock"
if ! flock -n 8; then
  echo "==> another 'npm start' is starting or stopping (pid $(cat "$data/run/start.pid" 2>/dev/null || echo '?')); waiting for it"
  until flock -w 5 8; do
    if ready; then say_running; exit 0; fi
  done
  if ready; then say_running; exit 0; fi
fi
echo $$ >"$data/run/start.pid"

# Remember what was up before, so that stopping leaves it as it was.
already_up=()
for c in "${control_infra[@]}"; do
  if bash "$scripts/$c.sh" status >/dev/null 2>&1; then already_up+=("$c"); fi
done

bash "$scripts/up.sh" 8>&-
# shellcheck source=platform/node-env.sh
source "$repo/infra/platform/node-env.sh"
logs="$SLIPWAY_DATA_DIR/logs"
node "$repo/infra/platform/compile.cjs"
node "$repo/dist/libs/messaging/src/provision-bus.cli.js" # streams, as operator: services may not create them
echo "==> console: build (web/dist)"
bash "$repo/web/scripts/build.sh" 8>&-
export NO_COLOR=1 # plain log files
mkdir -p "$logs"

pids=()
stop_all() {
  trap - INT TERM EXIT
  # Stop everything even when the terminal or a pipe (npm start | tee) is gone: no write may end this.
  trap '' PIPE HUP
  set +e
  echo
  echo "==> stopping Slipway's control plane (apps, Caddy, the registry and Docker keep serving)"
  ((${#pids[@]})) && kill -TERM "${pids[@]}" 2>/dev/null || true
  # A process busy with a build or a wait on Caddy exits within 5 s by itself; past 10 s it is killed.
  local deadline=$((SECONDS + 10)) pid
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  done
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "    killing pid $pid (still running 10 s after SIGTERM)"
      pkill -KILL -P "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  for ((i = ${#control_infra[@]} - 1; i >= 0; i--)); do
    c=${control_infra[i]}
    [[ " ${already_up[*]} " == *" $c "* ]] || bash "$scripts/$c.sh" stop 8>&- || true
  done
  rm -f "$data/run/start.pid"
  echo "==> stopped (npm run stop stops the apps and the rest too)"
}
trap stop_all INT TERM EXIT

echo "==> starting Slipway ($parts) in one process (log in $logs/slipway.log)"
bash "$repo/infra/platform/run-service.sh" "$parts" >>"$logs/slipway.log" 2>&1 8>&- &
pids+=($!)

start=$SECONDS
until ready; do
  if ((SECONDS - start > 90)); then
    echo "ERROR: Slipway did not become ready in 90 s. What is not ready:" >&2
    curl -sS --max-time 3 "$health_url" >&2 || echo "  $health_url does not answer: see $logs/slipway.log" >&2
    echo >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "ERROR: Slipway exited; the end of $logs/slipway.log:" >&2; tail -n 20 "$logs/slipway.log" >&2; exit 1; }
  done
  sleep 0.5
done

echo
echo "Slipway is ready ($((SECONDS - start)) s for the services)."
echo "Console: $console"
echo "API:     ${console}graphql"
echo "Press Ctrl-C to stop Slipway (your apps keep serving; npm run stop stops everything)."
wait
