#!/usr/bin/env bash
# Slipway's control plane as a Docker Swarm stack (docs/swarm-stack.md, ADR 0029): the platform's
# own image, NATS, FerretDB, the registry and Caddy as Swarm services with restart policies, so a
# reboot or a crash brings them back with no terminal open. `npm start` stays the foreground way.
# Usage: stack.sh build|deploy|rm|status
#
#   build   builds slipway/{platform,nats,ferretdb,registry,caddy}, tags them with the git commit and
#           pushes them to $SLIPWAY_STACK_REGISTRY (default 127.0.0.1:5000), printing size and time
#   deploy  writes the credentials once (as up.sh's scripts do, under $DATA/secrets), hands them to
#           Swarm as secrets and runs `docker stack deploy` (infra/stack/slipway.stack.yml)
#   rm      `docker stack rm`; the volumes (events, read store, images) stay
#   status  the stack's tasks, and whether the control plane answers /health
#
# The engine is whatever `docker` reaches (DOCKER_HOST). Knobs: SLIPWAY_STACK_NAME (slipway),
# SLIPWAY_STACK_REGISTRY (where the stack's images go), SLIPWAY_APPS_REGISTRY (where builds push,
# every node must reach it; default the stack's registry on this node's SLIPWAY_REGISTRY_PORT),
# SLIPWAY_STACK_TAG (default: the commit), SLIPWAY_CONSOLE_PORT/HTTP_PORT/HTTPS_PORT/REGISTRY_PORT,
# SLIPWAY_ACME_CA_URL (default Let's Encrypt), SLIPWAY_FERRETDB_BIN (default $DATA/bin/ferretdb),
# SLIPWAY_CONTROL_DOCKER_SOCKET / SLIPWAY_BUILD_DOCKER_SOCKET (the nodes' socket, /var/run/docker.sock).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=${SLIPWAY_STACK_NAME:-slipway}
IMAGES_REG=${SLIPWAY_STACK_REGISTRY:-127.0.0.1:$REGISTRY_PORT}
IMAGES="$IMAGES_REG/slipway"
STACK_DIR="$REPO_DIR/infra/stack"
LOCAL_DOCKER=unix:///var/run/docker.sock
export DOCKER_BUILDKIT=0 # the classic builder, as images.sh: the base images exist locally only

tag() {
  if [[ -n ${SLIPWAY_STACK_TAG:-} ]]; then echo "$SLIPWAY_STACK_TAG"; return; fi
  local t
  t=$(git -C "$REPO_DIR" rev-parse --short=12 HEAD)
  # uncommitted changes make another image: say so in the tag rather than reuse the commit's
  git -C "$REPO_DIR" diff --quiet HEAD -- infra libs services gateway proto web 2>/dev/null || t+="-dirty"
  echo "$t"
}
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
secs() { printf '%d.%01d' $((($(now_ms) - $1) / 1000)) $(((($(now_ms) - $1) % 1000) / 100)); }
image_mb() { docker image inspect --format '{{.Size}}' "$1" | awk '{printf "%.1f MB", $1 / 1e6}'; }

# ensure_local IMAGE IMAGE_SET: the image on the target engine; built on this machine's engine by
# images.sh when missing there, and copied over (docker save | load) when the target is another one.
ensure_local() {
  docker image inspect "$1" >/dev/null 2>&1 && return
  DOCKER_HOST=$LOCAL_DOCKER docker image inspect "$1" >/dev/null 2>&1 || DOCKER_HOST=$LOCAL_DOCKER bash "$SCRIPTS_DIR/images.sh" "$2"
  [[ ${DOCKER_HOST:-$LOCAL_DOCKER} == "$LOCAL_DOCKER" ]] && return
  info "copying $1 to the target engine"
  DOCKER_HOST=$LOCAL_DOCKER docker save "$1" | docker load -q >/dev/null
}

# binary_context DIR BINARY ENTRYPOINT: a FROM-scratch rootfs with BINARY, its libraries, busybox.
binary_context() {
  local ctx=$1 bin=$2 libs a
  rm -rf "$ctx"
  mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/tmp" "$ctx/rootfs/data" "$ctx/rootfs/usr/local/bin" "$ctx/rootfs/etc/ssl/certs"
  cp "$STACK_DIR/binary.Dockerfile" "$ctx/Dockerfile"
  libs=$(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)
  # shellcheck disable=SC2086 # a list of paths
  cp --parents -L "$bin" $libs "$ctx/rootfs/"
  ln -s "$bin" "$ctx/rootfs/usr/local/bin/${bin##*/}"
  cp /bin/busybox "$ctx/rootfs/bin/busybox" # static
  for a in sh cat cp ln mkdir wget nc; do ln -s busybox "$ctx/rootfs/bin/$a"; done
  cp "$3" "$ctx/rootfs/usr/local/bin/entrypoint.sh"
  cat /usr/share/ca-certificates/mozilla/*.crt >"$ctx/rootfs/etc/ssl/certs/ca-certificates.crt"
  echo 'hosts: files dns' >"$ctx/rootfs/etc/nsswitch.conf"
  chmod 1777 "$ctx/rootfs/tmp"
}

platform_context() {
  local ctx=$1 node
  node="$("$SCRIPTS_DIR/node-bin.sh")/node"
  rm -rf "$ctx"
  mkdir -p "$ctx/app/web" "$ctx/app/infra/platform" "$ctx/app/infra/stack"
  (cd "$REPO_DIR" && "$node" infra/platform/compile.cjs)
  [[ -s $REPO_DIR/web/dist/index.html ]] || bash "$REPO_DIR/web/scripts/build.sh"
  cp "$STACK_DIR/platform.Dockerfile" "$ctx/Dockerfile"
  cp -r "$REPO_DIR/dist" "$ctx/app/dist"
  cp -r "$REPO_DIR/web/dist" "$ctx/app/web/dist"
  cp "$REPO_DIR/package.json" "$ctx/app/"
  cp "$REPO_DIR/infra/platform/run-service.sh" "$ctx/app/infra/platform/"
  cp "$STACK_DIR/platform-entrypoint.sh" "$ctx/app/infra/stack/"
  # only the packages the compiled code loads (not the dev tools, not the console's sources);
  # node_modules may be a link to a shared checkout's, hence -h
  "$node" "$STACK_DIR/runtime-modules.cjs" "$REPO_DIR" >"$ctx/modules.txt"
  tar -C "$REPO_DIR" -ch -T "$ctx/modules.txt" | tar -C "$ctx/app" -x
  info "platform context: $(wc -l <"$ctx/modules.txt") packages, $(du -sh "$ctx/app" | cut -f1)"
}

push_login() { # the platform's own registry takes no anonymous push
  [[ $IMAGES_REG == "127.0.0.1:$REGISTRY_PORT" && -s $DATA/secrets/registry/build ]] || return 0
  docker login -u build --password-stdin "$IMAGES_REG" <"$DATA/secrets/registry/build" >/dev/null
}

build() {
  local t ctx="$CACHE_DIR/build/stack" name t0 t1 total fdb
  t=$(tag)
  total=$(now_ms)
  ensure_dirs "$CACHE_DIR/build"
  ensure_local node:24-bookworm-slim base
  ensure_local "$CADDY_IMAGE" caddy
  step "building the stack's images, tag $t"
  for name in platform nats ferretdb registry; do
    t0=$(now_ms)
    case $name in
    platform) platform_context "$ctx" ;;
    nats) binary_context "$ctx" "$(command -v nats-server)" "$STACK_DIR/nats-entrypoint.sh" ;;
    ferretdb)
      fdb=${SLIPWAY_FERRETDB_BIN:-$BIN_DIR/ferretdb}
      [[ -x $fdb ]] || bash "$SCRIPTS_DIR/install.sh" ferretdb
      binary_context "$ctx" "$fdb" "$STACK_DIR/ferretdb-entrypoint.sh"
      ;;
    registry) binary_context "$ctx" "$(command -v docker-registry)" "$STACK_DIR/registry-entrypoint.sh" ;;
    esac
    t1=$(now_ms)
    docker build -q --label "com.slipway.stack=$NAME" -t "$IMAGES/$name:$t" "$ctx" >/dev/null 2>"$LOG_DIR/stack-build.log" ||
      die "docker build of $name failed: $(tail -n 5 "$LOG_DIR/stack-build.log")"
    info "$IMAGES/$name:$t: $(image_mb "$IMAGES/$name:$t"), context $(secs "$t0") s, build $(secs "$t1") s"
  done
  rm -rf "$ctx"
  docker tag "$CADDY_IMAGE" "$IMAGES/caddy:$t"
  info "$IMAGES/caddy:$t: $(image_mb "$IMAGES/caddy:$t") (slipway/caddy:local)"
  [[ ${SLIPWAY_STACK_PUSH:-1} == 1 ]] || { info "built in $(secs "$total") s (not pushed: SLIPWAY_STACK_PUSH=0)"; return; }
  step "pushing to $IMAGES_REG"
  push_login
  t0=$(now_ms)
  for name in platform nats ferretdb registry caddy; do
    docker push -q "$IMAGES/$name:$t" >/dev/null || die "could not push $IMAGES/$name:$t to $IMAGES_REG"
  done
  info "pushed in $(secs "$t0") s; build and push took $(secs "$total") s"
}

# The credentials, created once with the same rules as the host scripts (nats-auth.sh writes the
# NATS users, secret-keys.sh the services' key pairs).
write_credentials() {
  local f id
  ensure_dirs "$DATA/stack"
  (umask 077 && mkdir -p "$DATA/secrets/ferretdb" "$DATA/secrets/registry")
  for f in ferretdb/gateway registry/build registry/deploy; do
    [[ -s $DATA/secrets/$f ]] ||
      (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$DATA/secrets/$f.tmp" && mv "$DATA/secrets/$f.tmp" "$DATA/secrets/$f")
  done
  bash "$SCRIPTS_DIR/nats-auth.sh" "$DATA/stack/nats-auth.conf"
  bash "$SCRIPTS_DIR/secret-keys.sh"
  command -v htpasswd >/dev/null || die "htpasswd is missing: run install.sh apt (package apache2-utils)"
  (
    umask 077
    : >"$DATA/stack/registry.htpasswd.tmp"
    for id in build deploy; do htpasswd -niB -C 10 "$id" <"$DATA/secrets/registry/$id" | sed '/^$/d' >>"$DATA/stack/registry.htpasswd.tmp"; done
    replace_if_changed "$DATA/stack/registry.htpasswd"
  )
  cat >"$DATA/stack/nats.conf.tmp" <<'EOF'
# Written by infra/scripts/stack.sh: one NATS server with JetStream (docs/swarm-stack.md has the
# three-server cluster). The authorisation is a Docker secret, linked next to this file.
server_name: slipway
listen: 0.0.0.0:4222
http: 127.0.0.1:8222
jetstream { store_dir: "/data" }
include auth.conf
EOF
  replace_if_changed "$DATA/stack/nats.conf"
  # Caddy's first config: ACME from SLIPWAY_ACME_CA_URL, trusting the system's roots only.
  sed -e "s#@ACME_CA_URL@#${SLIPWAY_ACME_CA_URL:-https://acme-v02.api.letsencrypt.org/directory}#" \
    -e 's#, "trusted_roots_pem_files": \[[^]]*\]##' "$IMAGES_DIR/caddy/initial-config.json" >"$DATA/stack/caddy-initial.json.tmp"
  replace_if_changed "$DATA/stack/caddy-initial.json"
}

stack_env() {
  export SLIPWAY_STACK_NAME=$NAME SLIPWAY_STACK_IMAGES=$IMAGES SLIPWAY_STACK_TAG
  SLIPWAY_STACK_TAG=$(tag)
  export SLIPWAY_CONSOLE_PORT=${SLIPWAY_CONSOLE_PORT:-$CONSOLE_PORT} SLIPWAY_HTTP_PORT=${SLIPWAY_HTTP_PORT:-$HTTP_PORT}
  export SLIPWAY_HTTPS_PORT=${SLIPWAY_HTTPS_PORT:-$HTTPS_PORT} SLIPWAY_REGISTRY_PORT=${SLIPWAY_REGISTRY_PORT:-$REGISTRY_PORT}
  # the Docker socket each node's tasks mount: /var/run/docker.sock, unless nodes share one
  # filesystem (the test's two engines on one machine)
  export SLIPWAY_CONTROL_DOCKER_SOCKET=${SLIPWAY_CONTROL_DOCKER_SOCKET:-/var/run/docker.sock}
  export SLIPWAY_BUILD_DOCKER_SOCKET=${SLIPWAY_BUILD_DOCKER_SOCKET:-/var/run/docker.sock}
  export SLIPWAY_APPS_REGISTRY=${SLIPWAY_APPS_REGISTRY:-127.0.0.1:$SLIPWAY_REGISTRY_PORT}
  export SLIPWAY_SECRETS_DIR="$DATA/secrets" SLIPWAY_NATS_CONF="$DATA/stack/nats.conf"
  export SLIPWAY_NATS_AUTH="$DATA/stack/nats-auth.conf" SLIPWAY_REGISTRY_HTPASSWD="$DATA/stack/registry.htpasswd"
  export SLIPWAY_CADDY_CONF="$DATA/stack/caddy-initial.json" SLIPWAY_SECRETS_VERSION
  # Swarm secrets and configs cannot change in place: a new content gets new names.
  SLIPWAY_SECRETS_VERSION=$(cat "$DATA/stack/"{nats.conf,nats-auth.conf,registry.htpasswd,caddy-initial.json} \
    "$DATA/secrets/"{nats,ferretdb,registry,keys}/* | sha256sum | cut -c1-10)
}

deploy() {
  local t0
  swarm_active || die "this engine is not in a swarm (docker swarm init)"
  [[ -n "$(docker node ls -q --filter node.label=slipway.control=true 2>/dev/null)" ]] ||
    die "no node is labelled for the control plane: docker node update --label-add slipway.control=true <node> (the node that keeps the data)"
  [[ -n "$(docker node ls -q --filter node.label=slipway.build=true)" ]] ||
    warn "no node is labelled slipway.build=true: the build service waits for one (docker node update --label-add slipway.build=true <node>)"
  write_credentials
  stack_env
  step "docker stack deploy $NAME (images $IMAGES:*:$SLIPWAY_STACK_TAG)"
  t0=$(now_ms)
  docker stack deploy --detach=true --prune --with-registry-auth -c "$STACK_DIR/slipway.stack.yml" "$NAME" >&2
  wait_until "the control plane to answer /health" 180 control_plane_healthy "$SLIPWAY_STACK_TAG" ||
    die "the control plane is not healthy after 180 s: $(docker service ps "${NAME}_slipway" --no-trunc --format '{{.CurrentState}} {{.Error}}' | head -3)"
  info "healthy $(secs "$t0") s after deploy"
  # Secrets and configs of earlier versions: in use ones are refused, which is what we want.
  docker secret ls --filter "label=com.docker.stack.namespace=$NAME" --format '{{.Name}}' | grep -v -- "-$SLIPWAY_SECRETS_VERSION\$" |
    xargs -r docker secret rm >/dev/null 2>&1 || true
}

# healthy = Swarm's health check of the slipway task passes (the gateway answers); with a tag, only
# a task of that image counts (after an update, the old task is healthy until it is replaced). The
# task runs on the node labelled slipway.control=true, where this script is run.
control_plane_healthy() {
  docker ps --filter "label=com.docker.swarm.service.name=${NAME}_slipway" --filter health=healthy --format '{{.Image}}' |
    grep -q -- "${1:+:$1}"
}

rm_stack() {
  docker stack rm "$NAME" >&2
  wait_until "the stack's networks to go" 60 bash -c "! docker network ls --filter label=com.docker.stack.namespace=$NAME -q | grep -q ." || true
}

status() {
  docker stack ps "$NAME" --filter desired-state=running --format '{{.Name}} {{.Node}} {{.CurrentState}}' >&2 || return 1
  if control_plane_healthy; then info "control plane: healthy"; else info "control plane: not healthy"; return 1; fi
}

case ${1:-} in
build | deploy | status) "$1" ;;
rm) rm_stack ;;
*) die "usage: $0 build|deploy|rm|status" ;;
esac
