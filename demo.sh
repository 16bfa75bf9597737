#!/usr/bin/env bash
# wgmon demo: builds wgmon, makes a throwaway two-namespace WireGuard link (wireguard-go) with an
# nft rule logging the WireGuard port to NFLOG, runs wgmon in the server namespace with a small
# webhook receiver, makes a peer connect and then go idle, shows both events, and cleans up.
# Run as root on Debian/Ubuntu: ./demo.sh
set -euo pipefail
cd "$(dirname "$0")"
[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root (it creates network namespaces)"; exit 1; }

IDLE=${IDLE:-10}
SRV=wgdemo-srv-$$ CLI=wgdemo-cli-$$ WGS=wgds$$ WGC=wgdc$$
WORK=$(mktemp -d)
pids=()

cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  ip netns del "$SRV" 2>/dev/null; ip netns del "$CLI" 2>/dev/null
  rm -f "/var/run/wireguard/$WGS.sock" "/var/run/wireguard/$WGC.sock"
  rm -rf "$WORK"
  echo "== cleaned up"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
wait_for() { # wait_for FILE PATTERN SECONDS
  for _ in $(seq $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1"; cat "$1"; return 1
}

step "installing packages (if missing) and building wgmon"
scripts/install-deps.sh
./mvnw -B -q -ntp package -DskipTests

step "making two namespaces joined by a veth, with wireguard-go on each side"
ip netns add "$SRV"; ip netns add "$CLI"
ip link add "vs$$" type veth peer name "vc$$"
ip link set "vs$$" netns "$SRV"; ip link set "vc$$" netns "$CLI"
ip -n "$SRV" addr add 192.0.2.1/24 dev "vs$$"; ip -n "$SRV" link set "vs$$" up; ip -n "$SRV" link set lo up
ip -n "$CLI" addr add 192.0.2.2/24 dev "vc$$"; ip -n "$CLI" link set "vc$$" up; ip -n "$CLI" link set lo up
wg genkey > "$WORK/srv.key"; wg pubkey < "$WORK/srv.key" > "$WORK/srv.pub"
wg genkey > "$WORK/cli.key"; wg pubkey < "$WORK/cli.key" > "$WORK/cli.pub"
export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
ip netns exec "$SRV" wireguard-go -f "$WGS" >"$WORK/wg-srv.log" 2>&1 & pids+=($!)
ip netns exec "$CLI" wireguard-go -f "$WGC" >"$WORK/wg-cli.log" 2>&1 & client_pid=$!; pids+=($client_pid)
for _ in $(seq 50); do [ -S "/var/run/wireguard/$WGS.sock" ] && [ -S "/var/run/wireguard/$WGC.sock" ] && break; sleep 0.1; done
ip netns exec "$SRV" wg set "$WGS" listen-port 3000 private-key "$WORK/srv.key" peer "$(cat "$WORK/cli.pub")" allowed-ips 10.10.10.2/32
ip netns exec "$CLI" wg set "$WGC" private-key "$WORK/cli.key" peer "$(cat "$WORK/srv.pub")" allowed-ips 10.10.10.1/32 endpoint 192.0.2.1:3000
ip -n "$SRV" addr add 10.10.10.1/24 dev "$WGS"; ip -n "$SRV" link set "$WGS" up
ip -n "$CLI" addr add 10.10.10.2/24 dev "$WGC"; ip -n "$CLI" link set "$WGC" up
echo "server $WGS (key $(cat "$WORK/srv.pub")), client $WGC (key $(cat "$WORK/cli.pub"))"

step "logging the WireGuard port to NFLOG group 1 (what an operator adds to the firewall)"
ip netns exec "$SRV" nft add table inet wgmon
ip netns exec "$SRV" nft add chain inet wgmon input '{ type filter hook input priority 0 ; }'
ip netns exec "$SRV" nft add rule inet wgmon input udp dport 3000 log group 1
ip netns exec "$SRV" nft list table inet wgmon

step "starting the webhook receiver and wgmon in the server namespace (idle timeout ${IDLE}s)"
ip netns exec "$SRV" java scripts/DemoReceiver.java 9999 > "$WORK/receiver.log" 2>&1 & pids+=($!)
wait_for "$WORK/receiver.log" listening 60
ip netns exec "$SRV" env WGMON_NFLOG_GROUP=1 WGMON_WIREGUARD_INTERFACES="$WGS" \
  WGMON_TRACKING_IDLE_TIMEOUT="${IDLE}s" WGMON_TRACKING_TICK=1s WGMON_HOST=demo \
  WGMON_WEBHOOK_URL=http://127.0.0.1:9999/hook \
  java -Xmx128m -jar target/quarkus-app/quarkus-run.jar > "$WORK/wgmon.log" 2>&1 & pids+=($!)
ready=""
for _ in $(seq 600); do
  ready=$(ip netns exec "$SRV" bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /q/health/ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3' 2>/dev/null || true)
  case "$ready" in *" 200 "*) break ;; esac
  kill -0 "${pids[-1]}" 2>/dev/null || { cat "$WORK/wgmon.log"; exit 1; }
  sleep 0.1
done
case "$ready" in *" 200 "*) ;; *) echo "wgmon did not become ready"; cat "$WORK/wgmon.log"; exit 1 ;; esac
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
