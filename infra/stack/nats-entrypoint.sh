#!/bin/sh
# Entrypoint of slipway/nats. The config (a Docker config, /etc/nats/nats.conf) includes the
# authorisation (a Docker secret: it holds the passwords), which nats-server only includes by a
# path relative to the config: link it next to it.
set -eu
mkdir -p /tmp/nats
cp /etc/nats/nats.conf /tmp/nats/nats.conf
ln -sf /run/secrets/nats-auth.conf /tmp/nats/auth.conf
exec nats-server -c /tmp/nats/nats.conf "$@"
