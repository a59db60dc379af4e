#!/usr/bin/env bash
# Runs Slipway's control plane, or a part of it, in one Node process in the foreground:
#   run-service.sh all              every service and the gateway (what `npm start` runs)
#   run-service.sh deploy           one service; HEALTH_PORT overrides its health port
#   run-service.sh gateway,build    a subset (SLIPWAY_SERVICES takes the same values)
# The one way every Slipway process is started, by `npm start` and by the tests alike. It runs the
# compiled code in dist/ (infra/platform/compile.cjs; start.sh and the tests compile first).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
parts=${1:-${SLIPWAY_SERVICES:-all}}
entry="$repo/dist/libs/messaging/src/run-platform.js"
if [[ ! -f "$entry" ]]; then
  echo "ERROR: $entry is missing: compile with \`node infra/platform/compile.cjs\` (npm start and npm test do)." >&2
  exit 2
fi
cd "$repo"
# A young generation of 2 MB semi-spaces instead of V8's 16: after a burst (a 100,000-line log
# burst, a large replay) V8 keeps its young generation at the size the burst grew it to, and a
# service idles 10 MB or more higher for it (ADR 0022). The same flag is in bench/observe's empty service.
exec node --max-semi-space-size=2 "$entry" "$parts"
