#!/usr/bin/env bash
# Installs what the container tests need on Debian/Ubuntu (run as root): podman; catatonit, from
# which podman builds the pod's pause image locally (no registry to pull one from); setcap
# (libcap2-bin) to give the entrypoint test's setpriv copy the image's file capabilities.
# Idempotent: packages already present are not fetched again.
set -euo pipefail

packages=(podman catatonit libcap2-bin)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-container-tools: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
