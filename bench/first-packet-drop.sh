#!/usr/bin/env bash
# The README's known-endpoint rules when a session's first data packet is dropped after netfilter saw it
# (docs/benchmarks.md, "Clients with addresses of their own"), as root: two namespaces, wireguard-go on both
# sides, the packaged app, scripts/lib/wgmon-rule.sh's ruleset, and (DROP=1, the default) a second input
# chain at priority 10 that drops each endpoint's first session-start packet after the ruleset has seen
# it, as a full socket buffer does. A first ping handshakes (its data packet dropped), a second one 3 s
# later makes the server record the handshake; the script then waits WAIT seconds (30) and says whether
# wgmon reported the connect. DROP=0 is the control: the same steps without the drop chain.
#
#   bench/first-packet-drop.sh        exit 0: wgmon reported the connect; 1: it did not
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/first-packet-drop.sh: run as root"; exit 1; }
DROP=${DROP:-1} WAIT=${WAIT:-30} LAUNCH=${LAUNCH:-target/quarkus-app/wgmon}
[ -x "$LAUNCH" ] || ./mvnw -B -q -ntp package -DskipTests
id=$$ S=wgfpd-s-$$ C=wgfpd-c-$$ WS=wgfpds$$ WC=wgfpdc$$
W=$(mktemp -d /tmp/wgmon-fpd.XXXXXX)
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  ip netns del "$S" 2>/dev/null; ip netns del "$C" 2>/dev/null
  rm -f "/var/run/wireguard/$WS.sock" "/var/run/wireguard/$WC.sock"; rm -rf "$W"   # throwaway keys
}
trap cleanup EXIT
say() { printf '[fpd %s] %s\n' "$(date -u +%T.%3N)" "$*"; }
ip netns add "$S"; ip netns add "$C"
ip link add "fpds$id" type veth peer name "fpdc$id"
ip link set "fpds$id" netns "$S"; ip link set "fpdc$id" netns "$C"
ip -n "$S" addr add 192.0.2.1/24 dev "fpds$id"; ip -n "$S" link set "fpds$id" up; ip -n "$S" link set lo up
ip -n "$C" addr add 192.0.2.2/24 dev "fpdc$id"; ip -n "$C" link set "fpdc$id" up; ip -n "$C" link set lo up
export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
ip netns exec "$S" wireguard-go -f "$WS" > /dev/null 2>&1 & pids+=($!)
ip netns exec "$C" wireguard-go -f "$WC" > /dev/null 2>&1 & pids+=($!)
for _ in $(seq 100); do [ -S "/var/run/wireguard/$WS.sock" ] && [ -S "/var/run/wireguard/$WC.sock" ] && break; sleep 0.1; done
(umask 077; wg genkey > "$W/s.key"; wg genkey > "$W/c.key")
wg pubkey < "$W/s.key" > "$W/s.pub"; wg pubkey < "$W/c.key" > "$W/c.pub"
ip netns exec "$S" wg set "$WS" listen-port 3000 private-key "$W/s.key" peer "$(cat "$W/c.pub")" allowed-ips 10.10.10.2/32
ip netns exec "$C" wg set "$WC" listen-port 61000 private-key "$W/c.key" peer "$(cat "$W/s.pub")" \
  allowed-ips 10.10.10.1/32 endpoint 192.0.2.1:3000
ip -n "$S" addr add 10.10.10.1/24 dev "$WS"; ip -n "$S" link set "$WS" up
ip -n "$C" addr add 10.10.10.2/24 dev "$WC"; ip -n "$C" link set "$WC" up
# shellcheck source=../scripts/lib/wgmon-rule.sh
(source scripts/lib/wgmon-rule.sh && wgmon_nft_ruleset 3000 1 180s) | ip netns exec "$S" nft -f -
if [ "$DROP" = 1 ]; then
  ip netns exec "$S" nft -f - <<'NFT'
table inet first_packet_drop {
  set seen { type ipv4_addr . inet_service; }
  chain input {
    type filter hook input priority 10;
    udp dport 3000 udp length >= 40 @th,64,32 0x04000000 @th,128,64 0 ip saddr . udp sport != @seen add @seen { ip saddr . udp sport } counter drop
  }
}
NFT
fi
ip netns exec "$S" env WGMON_NFLOG_GROUP=1 WGMON_WIREGUARD_INTERFACES="$WS" WGMON_TRACKING_IDLE_TIMEOUT=180s \
  WGMON_METRICS_PER_PEER=false "$LAUNCH" > "$W/app.log" 2>&1 & pids+=($!)
for _ in $(seq 300); do grep -q 'First scan' "$W/app.log" && break; sleep 0.1; done
grep -q 'First scan' "$W/app.log" || { cat "$W/app.log"; exit 2; }
say "wgmon ready; DROP=$DROP"
ip netns exec "$C" ping -c 1 -W 1 10.10.10.1 > /dev/null || true
say "first ping: handshake; the server's latest handshake now $(ip netns exec "$S" wg show "$WS" latest-handshakes | awk '{print $2}')"
sleep 3
ip netns exec "$C" ping -c 1 -W 1 10.10.10.1 > /dev/null || true
say "second ping; the server's latest handshake now $(ip netns exec "$S" wg show "$WS" latest-handshakes | awk '{print $2}')"
for _ in $(seq $((WAIT * 10))); do grep -q 'peer.connected' "$W/app.log" && break; sleep 0.1; done
if grep -q 'peer.connected' "$W/app.log"; then
  say "wgmon reported the connect: $(grep -m1 'peer.connected' "$W/app.log" | cut -c1-24)"; exit 0
fi
say "wgmon reported no connect within $WAIT s of the second ping, though the server records the handshake"
exit 1
