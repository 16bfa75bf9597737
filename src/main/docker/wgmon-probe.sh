#!/bin/bash
# wgmon's container probe: wgmon-probe started|live|ready asks the management port's health check
# (/q/health/<check> on $QUARKUS_MANAGEMENT_HOST:$QUARKUS_MANAGEMENT_PORT, default 127.0.0.1:9588;
# a wildcard host, 0.0.0.0 or ::, is asked on 127.0.0.1) and exits 0 only on HTTP 200. Plain bash
# (/dev/tcp): the image has no curl, and podman runs an httpGet probe as `curl -f` inside the
# container, so the manifests use this as an exec probe.
set -u
case "${1:-}" in
  started|live|ready) check=$1 ;;
  *) echo "usage: wgmon-probe started|live|ready" >&2; exit 2 ;;
esac
host=${QUARKUS_MANAGEMENT_HOST:-127.0.0.1}
case "$host" in 0.0.0.0|::|'[::]'|'') host=127.0.0.1 ;; esac
host=${host#[}; host=${host%]}
port=${QUARKUS_MANAGEMENT_PORT:-9588}
exec 3<>"/dev/tcp/$host/$port" || exit 1
printf 'GET /q/health/%s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$check" >&3
IFS=' ' read -r -t "${WGMON_PROBE_TIMEOUT:-4}" _ status _ <&3 || exit 1
[ "$status" = 200 ] || { echo "wgmon-probe: /q/health/$check answered $status" >&2; exit 1; }
