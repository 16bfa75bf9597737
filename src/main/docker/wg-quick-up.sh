#!/bin/sh
# Init step of the wg-quick image: brings the WireGuard interface $WG_QUICK_INTERFACE up from
# /etc/wireguard/$WG_QUICK_INTERFACE.conf. Empty: nothing to do. Idempotent: an interface that
# already exists is left as it is, so a restarted pod does not fail on it.
set -eu
name=${WG_QUICK_INTERFACE:-}
if [ -z "$name" ]; then
  echo "wg-quick-up: WG_QUICK_INTERFACE is empty, no interface to bring up"
  exit 0
fi
if ip link show dev "$name" >/dev/null 2>&1; then
  echo "wg-quick-up: $name exists already, left as it is"
  exit 0
fi
exec wg-quick up "$name"
