#!/bin/busybox sh
# Entrypoint of slipway/caddy:local, run by busybox (the image has no other shell).
#
# Caddy's admin API is reachable by the routing service alone: it listens on a unix socket in
# /run/slipway-admin, bind-mounted from a root-only host directory ($SLIPWAY_DATA_DIR/caddy/admin,
# 0700), and on no TCP port: no container and no unprivileged process on the host can reach it.
# Caddy checks the Host header of admin requests against `origins` (clients send "localhost").
#
# Config: the last one loaded over the admin API (Caddy autosaves it) so that routes survive task
# restarts, with its admin block set to the socket; else /config/initial.json.
set -eu
bb=/bin/busybox
admin='"admin":{"listen":"unix//run/slipway-admin/admin.sock","origins":["localhost"]}'
autosave=/config/caddy/autosave.json
config=/tmp/caddy-config.json

if [ -s "$autosave" ]; then
  if $bb grep -q '"admin":{' "$autosave"; then
    # the admin block holds no nested object in the configs Slipway writes
    $bb sed -E "s#\"admin\":\\{[^}]*\\}#$admin#" "$autosave" >"$config"
  else # a config was loaded without the admin block: put it back
    $bb sed "1s#^{#{$admin,#" "$autosave" >"$config"
  fi
  if ! $bb grep -qF 'unix//run/slipway-admin/admin.sock' "$config"; then
    echo "slipway-caddy: saved config has an admin block this entrypoint cannot rewrite; using initial.json" >&2
    $bb mv "$autosave" "$autosave.broken"
  fi
fi
[ -s "$autosave" ] || $bb cp /config/initial.json "$config"
$bb grep -qF 'unix//run/slipway-admin/admin.sock' "$config" || { echo "slipway-caddy: no admin socket in $config" >&2; exit 1; }
$bb rm -f /run/slipway-admin/admin.sock # left by a killed task
echo "slipway-caddy: admin API on the unix socket /run/slipway-admin/admin.sock" >&2
exec /usr/bin/caddy run --config "$config"
