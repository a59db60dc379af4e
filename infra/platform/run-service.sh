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
# Node's flags (SLIPWAY_NODE_FLAGS overrides them; ADR 0026):
#   --max-semi-space-size=2: a young generation of 2 MB semi-spaces instead of 16. After a burst (a
#     100,000-line log burst, a large replay) V8 keeps its young generation at the size the burst
#     grew it to, and a service idled 10 MB or more higher for it (ADR 0022).
#   --optimize-for-size: V8 keeps fewer free heap pages and grows the heap less eagerly. With every
#     part in one process it idled at 162 MB instead of 256 MB (149 MB of V8's 256 KB pages held
#     for 66 MB of heap); bench/gateway measured the cost in throughput (ADR 0026).
# bench/observe's empty service runs with the same flags.
# glibc's malloc: two arenas (MALLOC_ARENA_MAX overrides). By default each thread that allocates
# (V8's GC and compiler threads, libuv's pool) gets an arena of its own and keeps its freed memory:
# with every part in one process that was ~17 MB of RSS at idle (ADR 0026).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
read -r -a flags <<<"${SLIPWAY_NODE_FLAGS:---max-semi-space-size=2 --optimize-for-size}"
exec node "${flags[@]}" "$entry" "$parts"
