#!/usr/bin/env bash
# Installs the npm packages scripts/k8s-schema/validate.cjs needs into CACHE_DIR/node_modules,
# once (the versions are pinned here; delete the folder to reinstall). Offline afterwards.
# usage: scripts/k8s-schema/install.sh [CACHE_DIR]   (default: <repo>/.cache/k8s-schema)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${1:-$repo/.cache/k8s-schema}

if [ -f "$cache/node_modules/kubernetes-models/package.json" ] && [ -f "$cache/node_modules/@kubernetes-models/validate/package.json" ]; then
  exit 0
fi
mkdir -p "$cache"
npm install --no-audit --no-fund --silent --prefix "$cache" kubernetes-models@4.5.1 @kubernetes-models/validate@4.0.0 >/dev/null
echo "k8s-schema: installed kubernetes-models and @kubernetes-models/validate into $cache"
