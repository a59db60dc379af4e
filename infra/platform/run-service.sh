#!/usr/bin/env bash
# Runs one Slipway process in the foreground: `run-service.sh deploy`, `run-service.sh gateway`.
# The one way every process is started, by `npm start` and by the tests alike.
# TypeScript is compiled on load by SWC (no build step; ~0.5 s per process).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=${1:?usage: run-service.sh <gateway|project|build|deploy|routing|preview|quota|metrics>}
case "$name" in
  gateway) entry="$repo/gateway/src/main.ts" ;;
  *) entry="$repo/services/$name/src/main.ts" ;;
esac
[[ -f "$entry" ]] || { echo "ERROR: no Slipway service named '$name' ($entry is missing)" >&2; exit 2; }
cd "$repo"
export SWC_NODE_PROJECT="$repo/tsconfig.json"
exec node --enable-source-maps -r @swc-node/register "$entry"
