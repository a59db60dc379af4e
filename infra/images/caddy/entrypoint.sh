#!/bin/busybox sh
# Entrypoint of slipway/caddy:local, run by busybox (the image has no other shell).
#
# Caddy's admin API must be reachable from the host and from no container. In a swarm task the
# interface with the default route is on docker_gwbridge: the host reaches that address directly,
# other containers cannot (docker_gwbridge has inter-container traffic switched off, and app
# containers have no route to it through the overlays). So the admin API binds to exactly that
# address, which is only known here, at start, and may differ at every task start; it is written
# to /config/admin-url ($SLIPWAY_DATA_DIR/caddy/config/admin-url on the host).
#
# Config: the last one loaded over the admin API (Caddy autosaves it) so that routes survive task
# restarts, with its admin address moved to this task's; else /config/initial.json.
set -eu
bb=/bin/busybox
port=${CADDY_ADMIN_PORT:-2019}
dev=$($bb ip route show default | $bb awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
addr=$($bb ip -4 -o addr show dev "$dev" | $bb awk '{ split($4, a, "/"); print a[1]; exit }')
[ -n "$addr" ] || { echo "slipway-caddy: no IPv4 address on the default-route interface '$dev'" >&2; exit 1; }
listen="$addr:$port"
autosave=/config/caddy/autosave.json
config=/tmp/caddy-config.json

if [ -s "$autosave" ]; then
  if $bb grep -q '"admin":' "$autosave"; then
    # the admin block is the only place with a string-valued "listen" (servers have arrays)
    $bb sed -E "s#\"listen\":\"[^\"]*\"#\"listen\":\"$listen\"#" "$autosave" >"$config"
  else # a config was loaded without the admin block: put it back
    $bb sed "1s#^{#{\"admin\":{\"listen\":\"$listen\"},#" "$autosave" >"$config"
  fi
  if ! $bb grep -q "\"listen\":\"$listen\"" "$config"; then
    echo "slipway-caddy: saved config has an admin block without a listen address; using initial.json" >&2
    $bb mv "$autosave" "$autosave.broken"
  fi
fi
[ -s "$autosave" ] || $bb sed "s#@ADMIN_LISTEN@#$listen#" /config/initial.json >"$config"

echo "http://$listen" >/config/admin-url.tmp
$bb mv /config/admin-url.tmp /config/admin-url
echo "slipway-caddy: admin API on http://$listen" >&2
exec /usr/bin/caddy run --config "$config"
