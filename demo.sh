#!/usr/bin/env bash
# wgmon demo: builds wgmon, makes a throwaway two-namespace WireGuard link (wireguard-go) with
# wgmon's nft rules logging WireGuard handshakes to NFLOG (scripts/lib/wgmon-rule.sh), runs wgmon in the server namespace with a small
# webhook receiver, makes a peer connect and then go idle, shows both events, and cleans up.
# Run as root on Debian/Ubuntu: ./demo.sh
set -euo pipefail
cd "$(dirname "$0")"
[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root (it creates network namespaces)"; exit 1; }

IDLE=${IDLE:-10}
source scripts/lib/wglink.sh
trap 'wglink_cleanup; echo "== cleaned up"' EXIT
step() { printf '\n== %s\n' "$*"; }

step "installing packages (if missing) and building wgmon"
scripts/install-deps.sh
./mvnw -B -q -ntp package -DskipTests

step "making two namespaces joined by a veth, wireguard-go on each side, and the NFLOG rule"
wglink_setup "${IDLE}s"
echo "server $WGS (key $(cat "$WORK/srv.pub")), client $WGC (key $(cat "$WORK/cli.pub"))"
ip netns exec "$SRV" nft list table inet wgmon

step "starting the webhook receiver and wgmon in the server namespace (idle timeout ${IDLE}s)"
ip netns exec "$SRV" java scripts/DemoReceiver.java 9999 > "$WORK/receiver.log" 2>&1 & pids+=($!)
wait_for "$WORK/receiver.log" listening 60
wgmon_start WGMON_TRACKING_IDLE_TIMEOUT="${IDLE}s" WGMON_TRACKING_TICK=1s WGMON_HOST=demo \
  WGMON_WEBHOOK_URL=http://127.0.0.1:9999/hook
sed 's/^/  wgmon| /' "$WORK/wgmon.log"
tail -f "$WORK/receiver.log" & pids+=($!)
tail -n0 -f "$WORK/wgmon.log" | sed -u 's/^/  wgmon| /' & pids+=($!)

step "the client pings the server through the tunnel: the handshake makes it connect"
ip netns exec "$CLI" ping -c 3 -i 0.5 10.10.10.1
wait_for "$WORK/receiver.log" '"event":"peer.connected"' 10

step "the client goes away (its WireGuard stops); wgmon reports it after ${IDLE}s without traffic"
kill "$client_pid"
wait_for "$WORK/receiver.log" '"event":"peer.disconnected"' $((IDLE + 15))
sleep 0.5

step "done: both events arrived"
