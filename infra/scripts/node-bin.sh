#!/usr/bin/env bash
# Prints the directory holding a Node.js >= 22 binary, for callers to put first on PATH:
#   PATH="$(infra/scripts/node-bin.sh):$PATH"
# The host's node when it is new enough, else Node 24 under $DATA/toolchain (installed on demand).
# Also checks that npm runs under that node: the host's npm 11 is plain JavaScript started with
# `#!/usr/bin/env node`, so with this directory first on PATH it runs on the new node.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if (($(host_node_major) >= 22)); then
  dir=$(dirname "$(command -v node)")
else
  "$SCRIPTS_DIR/install.sh" node >&2
  dir="$DATA/toolchain/node24/bin"
fi
v=$(PATH="$dir:$PATH" npm --version 2>&1) || die "npm does not run under $dir/node: $v"
echo "$dir"
