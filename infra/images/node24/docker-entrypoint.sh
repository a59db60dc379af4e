#!/bin/sh
# Same behaviour as the official node images' entrypoint: `docker run IMAGE -e "..."` or
# `docker run IMAGE script.js` runs node; any real command (npm, bash, ...) runs as given.
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
