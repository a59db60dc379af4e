# shellcheck shell=bash
# Sourced by start.sh and test.sh: Node >= 22 first on PATH, dependencies installed, and the
# addresses of the local infrastructure (written by infra/scripts/up.sh) exported.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PATH="$(bash "$repo/infra/scripts/node-bin.sh"):$PATH"
export PATH
data="${SLIPWAY_DATA_DIR:-/var/lib/slipway}"

# npm ci only when the lockfile changed since the last install: a rerun takes no time.
lock_sum=$(sha256sum "$repo/package-lock.json" | cut -d' ' -f1)
stamp="$repo/node_modules/.slipway-lock.sha256"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  echo "==> installing npm dependencies (npm ci)" >&2
  (cd "$repo" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$lock_sum" > "$stamp"
fi

set -a
# shellcheck disable=SC1091
source "$data/run/infra.env"
set +a
