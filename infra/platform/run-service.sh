#!/usr/bin/env bash
# Runs one Slipway process in the foreground: `run-service.sh deploy`, `run-service.sh gateway`.
# The one way every process is started, by `npm start` and by the tests alike. It runs the
# compiled code in dist/ (infra/platform/compile.cjs; start.sh and the tests compile first).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=${1:?usage: run-service.sh <gateway|project|build|deploy|routing|preview|quota|metrics>}
case "$name" in
  gateway) entry="$repo/dist/gateway/src/main.js" ;;
  *) entry="$repo/dist/services/$name/src/main.js" ;;
esac
if [[ ! -f "$entry" ]]; then
  echo "ERROR: $entry is missing: is '$name' a Slipway service? Compile with \`node infra/platform/compile.cjs\` (npm start and npm test do)." >&2
  exit 2
fi
cd "$repo"
# A young generation of 2 MB semi-spaces instead of V8's 16: after a burst (a 100,000-line log
# burst, a large replay) V8 keeps its young generation at the size the burst grew it to, and a
# service idles 10 MB or more higher for it (ADR 0022). The same flag is in bench/observe's empty service.
exec node --max-semi-space-size=2 "$entry"
