#!/bin/sh
# Entrypoint of slipway/ferretdb: SQLite in /data (the volume), SCRAM sign-in for the one user
# `gateway`, its password from the Docker secret ferretdb--gateway (in the environment, never argv).
set -eu
FERRETDB_SETUP_PASSWORD=$(cat /run/secrets/ferretdb--gateway)
export FERRETDB_SETUP_PASSWORD
mkdir -p /data/sqlite /data/state
exec ferretdb --handler=sqlite --sqlite-url=file:/data/sqlite/ --listen-addr=:27017 \
  --debug-addr=127.0.0.1:8088 --state-dir=/data/state --telemetry=disable \
  --test-enable-new-auth --setup-username=gateway --setup-database=admin "$@"
