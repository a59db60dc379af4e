#!/usr/bin/env bash
# End-to-end check of a running infrastructure (after up.sh). Leaves nothing behind.
# Usage: smoke.sh [--nats-restart]
#   --nats-restart  also stops and starts NATS to prove a JetStream stream survives (disruptive
#                   for anything using NATS at that moment, hence opt-in)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
S=$SCRIPTS_DIR
set -a
. "$RUN_DIR/infra.env"
set +a
failed=0
check() { # check DESC CMD...
  local desc=$1 out
  shift
  if out=$("$@" 2>&1); then printf '  ok    %s\n' "$desc" >&2; else
    printf '  FAIL  %s\n%s\n' "$desc" "$(tail -n 5 <<<"$out" | sed 's/^/        /')" >&2
    failed=1
  fi
}

step "component status"
for c in docker registry nats ferretdb pebble caddy; do check "$c.sh status" "$S/$c.sh" status; done

step "behaviour"
check "Caddy catch-all answers 404 on http://127.0.0.1/" \
  bash -c '[[ "$(curl -s -o /dev/null -w "%{http_code}" http://127.0.0.1/)" == 404 ]]'
check "node:24-bookworm-slim runs node 24" bash -c 'docker run --rm node:24-bookworm-slim node --version | grep -q "^v24\."'
check "Pebble directory and Caddy reachable from a container on $EDGE_NETWORK, admin API not" \
  docker run --rm --network "$EDGE_NETWORK" -v "$DATA/pebble:/pebble:ro" -e NODE_EXTRA_CA_CERTS=/pebble/ca.pem \
  node:24-bookworm-slim node -e '
    const [acme, admin, caddy] = process.argv.slice(1);
    const get = (u) => fetch(u, { signal: AbortSignal.timeout(3000) });
    (async () => {
      const d = await (await get(acme)).json();
      if (!d.newOrder) throw new Error("no newOrder in " + JSON.stringify(d));
      if ((await get(caddy)).status !== 404) throw new Error("caddy via tasks.<name> did not answer 404");
      const reached = await get(admin).then(() => true, () => false);
      if (reached) throw new Error("admin API reachable from an app container");
    })().catch((e) => { console.error(e.message); process.exit(1); });
  ' "$ACME_CA_URL" "http://tasks.$CADDY_SERVICE:2019/config/" "http://tasks.$CADDY_SERVICE/"

# A route for a test domain: Caddy obtains a certificate from Pebble; verify it with Pebble's root.
acme_check() {
  local socket
  socket=$(sed 's/^unix://' "$CADDY_ADMIN_URL_FILE")
  curl -fsS --unix-socket "$socket" -X PUT -H 'Content-Type: application/json' "http://localhost/config/apps/http/servers/$CADDY_SERVER_NAME/routes/0" \
    -d '{"@id":"slipway-smoke","match":[{"host":["smoke.slipway.test"]}],"handle":[{"handler":"static_response","body":"smoke"}]}'
  local ok=1 i
  for i in $(seq 1 30); do
    curl -fsS --max-time 3 --resolve smoke.slipway.test:443:127.0.0.1 --cacert "$ACME_ROOT_PEM" \
      https://smoke.slipway.test/ 2>/dev/null | grep -q smoke && { ok=0; break; }
    sleep 0.5
  done
  curl -fsS --unix-socket "$socket" -X DELETE "http://localhost/id/slipway-smoke"
  return $ok
}
check "Caddy gets a certificate from Pebble (https://smoke.slipway.test)" acme_check

if [[ ${1:-} == --nats-restart ]]; then
  # Raw NATS protocol: create a stream, publish one message, restart NATS, count, delete it.
  nats_raw() {
    exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT"
    printf 'CONNECT {"verbose":false}\r\nSUB _INBOX.smoke 1\r\n' >&3
    printf 'PUB %s _INBOX.smoke %d\r\n%s\r\n' "$1" "${#2}" "$2" >&3
    printf 'PING\r\n' >&3
    timeout 2 head -c 4096 <&3 >/dev/null || true
    exec 3>&-
  }
  stream_msgs() {
    curl -fsS "$NATS_MONITOR_URL/jsz?streams=true" | tr ',' '\n' | grep -A40 '"name": *"SMOKE_SURVIVES"' |
      grep -m1 '"messages"' | grep -o '[0-9]*'
  }
  survives() {
    nats_raw '$JS.API.STREAM.CREATE.SMOKE_SURVIVES' '{"name":"SMOKE_SURVIVES","subjects":["smoke.survives"],"storage":"file"}'
    nats_raw smoke.survives hello
    sleep 0.5
    [[ "$(stream_msgs)" == 1 ]] || { echo "stream not created"; return 1; }
    "$S/nats.sh" stop && "$S/nats.sh" start
    local n
    n=$(stream_msgs)
    nats_raw '$JS.API.STREAM.DELETE.SMOKE_SURVIVES' ''
    [[ $n == 1 ]] || { echo "after restart the stream has '${n:-no}' messages"; return 1; }
  }
  check "a JetStream stream survives nats.sh stop + start" survives
fi

((failed == 0)) || die "smoke test failed"
step "smoke test passed"
