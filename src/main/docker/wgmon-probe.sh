#!/bin/bash
# wgmon's container probe: wgmon-probe live|ready asks the management port's health check
# (/q/health/live or /q/health/ready on 127.0.0.1:$QUARKUS_MANAGEMENT_PORT, default 9588) and exits 0
# only on HTTP 200. Plain bash (/dev/tcp): the image has no curl, and podman runs an httpGet probe
# as `curl -f` inside the container, so the manifests use this as an exec probe.
set -u
case "${1:-}" in
  live|ready) check=$1 ;;
  *) echo "usage: wgmon-probe live|ready" >&2; exit 2 ;;
esac
port=${QUARKUS_MANAGEMENT_PORT:-9588}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /q/health/%s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$check" >&3
IFS=' ' read -r -t "${WGMON_PROBE_TIMEOUT:-4}" _ status _ <&3 || exit 1
[ "$status" = 200 ] || { echo "wgmon-probe: /q/health/$check answered $status" >&2; exit 1; }
