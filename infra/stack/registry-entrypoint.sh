#!/bin/sh
# Entrypoint of slipway/registry: images in /data (the volume), htpasswd sign-in for `build` and
# `deploy` (the Docker secret registry-htpasswd, written by infra/scripts/registry.sh's rules).
set -eu
cat >/tmp/config.yml <<YAML
version: 0.1
storage: { filesystem: { rootdirectory: /data }, delete: { enabled: true } }
auth: { htpasswd: { realm: slipway-registry, path: /run/secrets/registry-htpasswd } }
http: { addr: ":5000" }
health: { storagedriver: { enabled: true, interval: 10s, threshold: 3 } }
YAML
exec docker-registry serve /tmp/config.yml
