#!/usr/bin/env bash
# Builds the console: the gateway's schema → typed documents (codegen) → type check → Vite bundle in
# web/dist, then checks the entry route's JavaScript against its budget.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
node -r @swc-node/register gateway/src/print-schema.ts
npx graphql-codegen --config web/codegen.ts --silent
npx tsc -p web/tsconfig.json
npx vite build --config web/vite.config.mts --logLevel warn
node web/scripts/bundle-budget.cjs
