#!/usr/bin/env bash
# `npm run stop`: stops everything — a running `npm start` (the control plane) and then the data
# plane (Caddy, Pebble, the registry, Docker and with it every app). Data stays; `npm start`
# brings it all back, the apps included.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${SLIPWAY_DATA_DIR:-/var/lib/slipway}"
pid=$(cat "$data/run/start.pid" 2>/dev/null || true)
if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
  echo "==> stopping npm start (pid $pid)"
  kill -TERM "$pid"
  for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && { echo "ERROR: npm start (pid $pid) is still stopping after 30 s; see $data/logs" >&2; exit 1; }
fi
bash "$repo/infra/scripts/down.sh"
