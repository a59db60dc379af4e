#!/usr/bin/env bash
# `npm run restore -- <archive>`: brings a backup back onto a fresh machine. Starts the
# infrastructure (as `npm start` does), then restores the events, the platform key, the images and
# the volumes. Slipway must not be running: the restore writes into an empty instance only. Then
# `npm start` rebuilds the read models from the events and deploys every running service again
# from its image. SLIPWAY_BACKUP_PASSPHRASE must be the backup's (ADR 0027).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
file=${1:-}
if [[ -z $file ]]; then echo "usage: npm run restore -- /path/to/slipway-backup-….tar" >&2; exit 2; fi
[[ -f $file ]] || { echo "ERROR: there is no file $file" >&2; exit 2; }
file=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
if [[ -z ${SLIPWAY_BACKUP_PASSPHRASE:-} ]]; then
  echo "ERROR: set SLIPWAY_BACKUP_PASSPHRASE to the passphrase the backup was made with" >&2
  exit 2
fi
if curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:${GATEWAY_PORT:-4000}/health"; then
  echo "ERROR: Slipway is running: stop it first (Ctrl-C where npm start runs). A restore goes into a fresh instance only." >&2
  exit 2
fi
bash "$repo/infra/scripts/up.sh"
# shellcheck source=platform/node-env.sh
source "$repo/infra/platform/node-env.sh"
node "$repo/infra/platform/compile.cjs"
node "$repo/dist/libs/messaging/src/provision-bus.cli.js"
exec node "$repo/dist/libs/backup/src/restore.cli.js" "$file"
