#!/usr/bin/env bash
# Runs a benchmark under bench/<name>/ with the project's Node and dependencies: `bench.sh event-store`.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name=${1:?usage: bench.sh <event-store|deploy>}
cd "$repo"
bash infra/scripts/install.sh >&2
# shellcheck source=node-env.sh
source infra/platform/node-env.sh
SWC_NODE_PROJECT="$repo/tsconfig.json" exec node -r @swc-node/register "bench/$name/$name.bench.ts"
