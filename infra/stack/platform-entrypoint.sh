#!/bin/bash
# Entrypoint of slipway/platform. Usage: platform-entrypoint.sh <parts> (what run-service.sh takes).
# The code reads its credentials from $SLIPWAY_DATA_DIR/secrets/<dir>/<file>; Swarm mounts Docker
# secrets flat in /run/secrets, named with `--` for `/` (nats--deploy, keys--deploy.key). Only the
# secrets given to this service are linked, so a part started without its password cannot sign in.
# With the operator's NATS password (the control plane's service, not the build service), the
# streams are provisioned first, as `npm start` does.
set -euo pipefail
secrets="$SLIPWAY_DATA_DIR/secrets"
rm -rf "$secrets"
mkdir -p "$secrets"
chmod 700 "$secrets"
for f in /run/secrets/*; do
  [[ -e $f ]] || continue
  rel=${f##*/}
  rel=${rel//--//}
  mkdir -p "$secrets/$(dirname "$rel")"
  ln -s "$f" "$secrets/$rel"
done
cd /opt/slipway
if [[ -e $secrets/nats/operator ]]; then
  node dist/libs/messaging/src/provision-bus.cli.js
fi
exec bash infra/platform/run-service.sh "${1:-all}"
