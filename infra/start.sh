#!/usr/bin/env bash
# `npm start`: installs what is missing, starts the local infrastructure and every Slipway
# service, prints the console URL, and stays in the foreground. Ctrl-C or SIGTERM stops, cleanly,
# everything this run started (and nothing that was already running before it).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scripts="$repo/infra/scripts"
services=(project build deploy routing preview quota metrics)
components=(docker registry nats ferretdb pebble caddy)
port="${GATEWAY_PORT:-4000}"
console="http://127.0.0.1:$port/"

if curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/health"; then
  echo "Slipway is already running."
  echo "Console: $console"
  echo "API:     ${console}graphql"
  exit 0
fi

# Remember what was up before, so that stopping leaves it as it was.
already_up=()
for c in "${components[@]}"; do
  if bash "$scripts/$c.sh" status >/dev/null 2>&1; then already_up+=("$c"); fi
done

bash "$scripts/up.sh"
# shellcheck source=platform/node-env.sh
source "$repo/infra/platform/node-env.sh"
logs="$SLIPWAY_DATA_DIR/logs"
node "$repo/infra/platform/compile.cjs"
echo "==> console: build (web/dist)"
bash "$repo/web/scripts/build.sh"
export NO_COLOR=1 # plain log files
mkdir -p "$logs"

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "==> stopping Slipway"
  ((${#pids[@]})) && kill -TERM "${pids[@]}" 2>/dev/null || true
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ((i = ${#components[@]} - 1; i >= 0; i--)); do
    c=${components[i]}
    [[ " ${already_up[*]} " == *" $c "* ]] || bash "$scripts/$c.sh" stop || true
  done
  echo "==> stopped"
}
trap stop_all INT TERM EXIT

echo "==> starting Slipway services (logs in $logs)"
for name in "${services[@]}" gateway; do
  bash "$repo/infra/platform/run-service.sh" "$name" >>"$logs/$name.log" 2>&1 &
  pids+=($!)
done

start=$SECONDS
until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/health"; do
  if ((SECONDS - start > 90)); then
    echo "ERROR: Slipway did not become ready in 90 s. What is not ready:" >&2
    curl -sS --max-time 3 "http://127.0.0.1:$port/health" >&2 || echo "  the gateway does not answer: see $logs/gateway.log" >&2
    echo >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "ERROR: a Slipway process exited; see the logs in $logs" >&2; exit 1; }
  done
  sleep 0.5
done

echo
echo "Slipway is ready ($((SECONDS - start)) s for the services)."
echo "Console: $console"
echo "API:     ${console}graphql"
echo "Press Ctrl-C to stop."
wait
