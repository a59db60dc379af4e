#!/usr/bin/env bash
# Writes NATS's authorisation (usage: nats-auth.sh <config file>): one user per identity, its
# password created once in $DATA/secrets/nats/<identity> (0600, read by that identity's process),
# and the subjects the identity may publish and subscribe to. Nothing else connects: there is no
# anonymous user. The rules (docs/adr/0013-trust-model.md):
#   - only the gateway sends commands (platform.*.commands.*) and view announcements;
#   - each context appends only to its own events (platform.<context>.events.>), plus dead letters;
#   - a service hears only its own commands and health requests, and answers only what it was asked
#     (allow_responses);
#   - each identity has its own inbox prefix (_INBOX_<identity>), so nobody reads another's replies;
#   - only `operator` (provisioning, tests, host tools) creates, changes or deletes streams.
# Idempotent: the file changes only when an identity or a rule does.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
conf=${1:?usage: nats-auth.sh <config file>}
creds="$DATA/secrets/nats"
(umask 077 && mkdir -p "$creds")
chmod 700 "$DATA/secrets" "$creds"

password() { # password IDENTITY: prints it, creating it on first use
  local f="$creds/$1"
  if [[ ! -s $f ]]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$f.tmp" && mv "$f.tmp" "$f")
  fi
  cat "$f"
}

list() { # list SUBJECT...: a NATS config array
  local out="" s
  for s in "$@"; do out+="\"$s\", "; done
  printf '[%s]' "${out%, }"
}

# Reading events and consuming them: stream and consumer info, pull consumers, acks, direct gets.
# Not: stream create/update/delete/purge, message delete (a stream's republish could publish past
# these rules; see the ADR for what consumer creation still allows).
JS_READ=('$JS.API.INFO' '$JS.API.STREAM.INFO.*' '$JS.API.STREAM.NAMES' '$JS.API.STREAM.LIST'
  '$JS.API.STREAM.MSG.GET.*' '$JS.API.DIRECT.GET.>' '$JS.API.CONSUMER.>' '$JS.ACK.>')
DEAD_LETTERS='platform.system.events.dead-letter.>'
LEASES=GATEWAY_PROJECTION_WRITERS

user() { # user IDENTITY PUBLISH... -- SUBSCRIBE...
  local id=$1 pub=() sub=()
  shift
  while (($#)) && [[ $1 != -- ]]; do pub+=("$1"); shift; done
  shift
  sub=("$@")
  printf '    { user: "%s", password: "%s", permissions: {\n' "$id" "$(password "$id")"
  printf '        publish: { allow: %s },\n' "$(list "${pub[@]}")"
  printf '        subscribe: { allow: %s },\n' "$(list "_INBOX_$id.>" "${sub[@]}")"
  printf '        allow_responses: true } }\n'
}

service() { # service IDENTITY CONTEXT [EXTRA PUBLISH...]
  local id=$1 context=$2
  shift 2
  user "$id" "platform.$context.events.>" "$DEAD_LETTERS" "${JS_READ[@]}" "$@" -- \
    "platform.$context.commands.*" "platform.health.$id"
}

{
  echo "# Written by infra/scripts/nats-auth.sh; passwords are in $creds."
  echo "authorization {"
  echo "  users = ["
  printf '    { user: "operator", password: "%s" }\n' "$(password operator)"
  user gateway 'platform.*.commands.*' 'platform.gateway.>' 'platform.identity.events.>' \
    'platform.health.*' "$DEAD_LETTERS" "${JS_READ[@]}" \
    "\$JS.API.STREAM.CREATE.$LEASES" "\$JS.API.STREAM.UPDATE.$LEASES" "\$JS.API.STREAM.MSG.DELETE.$LEASES" -- \
    'platform.gateway.>' 'platform.logs.>' 'platform.health.gateway'
  service project project
  service build build 'platform.logs.>'
  service deploy deploy 'platform.logs.>'
  service routing routing 'platform.logs.>'
  service preview preview
  service quota quota
  service metrics metrics
  # Reads every stream (JS_READ) to write archives; appends only its own backup events.
  service backup backup
  echo "  ]"
  echo "}"
} >"$conf.tmp"
chmod 600 "$conf.tmp"
replace_if_changed "$conf"
