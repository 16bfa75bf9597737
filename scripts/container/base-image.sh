#!/usr/bin/env bash
# The container tier's base image, made from Debian's own packages with mmdebstrap (no image
# registry is needed): Debian bookworm, minbase variant, without documentation, man pages and
# locales, like the debian:bookworm-slim image that src/main/docker/Dockerfile.jvm uses by default.
# The root filesystem is cached as CACHE_DIR/debian-bookworm-slim.tar (it changes rarely: delete it
# to rebuild) and imported into podman as IMAGE unless podman already has an image of that name.
#
# usage: scripts/container/base-image.sh [CACHE_DIR [IMAGE]]
#        (default: <repo>/.cache/container, localhost/wgmon-test-base:bookworm)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${1:-$repo/.cache/container}
image=${2:-localhost/wgmon-test-base:bookworm}
mkdir -p "$cache"
tar=$cache/debian-bookworm-slim.tar

if [ ! -s "$tar" ]; then
  echo "base-image: mmdebstrap bookworm into $tar"
  # merged-usr hook: /usr merged as bookworm's images have it, without the usrmerge package (and perl)
  mmdebstrap --quiet --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    bookworm "$cache/new.tar"
  mv "$cache/new.tar" "$tar"
fi
if ! podman image exists "$image"; then
  podman import --quiet "$tar" "$image" >/dev/null
fi
echo "base-image: $image from $tar ($(du -m "$tar" | cut -f1) MB)"
