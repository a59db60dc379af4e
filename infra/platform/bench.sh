#!/usr/bin/env bash
# Runs a benchmark under bench/<name>/ with the project's Node and dependencies: `bench.sh event-store`.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=${1:?usage: bench.sh <event-store|deploy>}
cd "$repo"
pid=$(cat "${SLIPWAY_DATA_DIR:-/var/lib/slipway}/run/start.pid" 2>/dev/null || true)
if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && [[ $name != event-store ]]; then
  echo "ERROR: 'npm start' runs Slipway on this machine (pid $pid). bench:$name starts its own services against the same" >&2
  echo "NATS, Docker and Caddy and would disturb it: stop it first (Ctrl-C in its terminal, or npm run stop), then run the bench." >&2
  exit 1
fi
bash infra/scripts/install.sh >&2
# shellcheck source=node-env.sh
source infra/platform/node-env.sh
SWC_NODE_PROJECT="$repo/tsconfig.json" exec node -r @swc-node/register "bench/$name/$name.bench.ts"
