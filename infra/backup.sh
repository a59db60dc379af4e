#!/usr/bin/env bash
# `npm run backup`: one archive of this instance — every event stream (and where each service's
# consumer was), the platform key sealed with SLIPWAY_BACKUP_PASSPHRASE (or the passphrase in
# $SLIPWAY_DATA_DIR/secrets/backup/passphrase, as the backup part reads it), the projects' volume
# files and the images of Slipway's registry the services run — in $SLIPWAY_BACKUP_DIR (default
# $SLIPWAY_DATA_DIR/backups), keeping the newest $SLIPWAY_BACKUP_KEEP (default 7). Safe while
# Slipway runs. Restore with `npm run restore -- <archive>` (ADR 0027).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${SLIPWAY_DATA_DIR:-/var/lib/slipway}"
if [[ -z ${SLIPWAY_BACKUP_PASSPHRASE:-} && ! -s $data/secrets/backup/passphrase ]]; then
  echo "ERROR: set SLIPWAY_BACKUP_PASSPHRASE (12 characters or more), or write it to $data/secrets/backup/passphrase: it seals the platform key in the archive, and a restore needs it" >&2
  exit 2
fi
[[ -f $data/run/infra.env ]] || { echo "ERROR: Slipway's infrastructure was never started here: there is nothing to back up (npm start first)" >&2; exit 2; }
# shellcheck source=platform/node-env.sh
source "$repo/infra/platform/node-env.sh"
node "$repo/infra/platform/compile.cjs"
exec node "$repo/dist/libs/backup/src/backup.cli.js"
