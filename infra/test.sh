#!/usr/bin/env bash
# `npm test`: the whole suite — lint, types, unit, integration, end-to-end — against the real
# servers, which it installs and starts first (infra/scripts/up.sh) and leaves running.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash infra/scripts/up.sh
# shellcheck source=platform/node-env.sh
source infra/platform/node-env.sh
export NX_DAEMON=false NX_NO_CLOUD=true
mkdir -p artifacts

echo "==> lint (module boundaries included)"
npx nx show projects >/dev/null  # the boundary rule needs the project graph, or it skips itself
npx eslint .
echo "==> console: schema → typed documents → type check → bundle → entry budget"
bash web/scripts/build.sh
echo "==> type check"
npx tsc -p tsconfig.json --noEmit
node infra/platform/compile.cjs # the services the tests start run from dist/
echo "==> jest: unit, integration, end-to-end (in band: the e2e tests stop and start NATS)"
status=0
npx jest --runInBand --json --outputFile=artifacts/jest-results.json "$@" || status=$?
node -e '
  const r = require("./artifacts/jest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' || true
exit "$status"
