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
DROP=${DROP:-1} WAIT=${WAIT:-30} WGMON_LAUNCH=${LAUNCH:-target/quarkus-app/wgmon}
[ -x "$WGMON_LAUNCH" ] || ./mvnw -B -q -ntp package -DskipTests
source scripts/lib/wglink.sh   # the two-namespace bed, the ruleset, wgmon_start and the clean-up (keys are throwaway)
trap wglink_cleanup EXIT
say() { printf '[fpd %s] %s\n' "$(date -u +%T.%3N)" "$*"; }
wglink_setup 180s
if [ "$DROP" = 1 ]; then
  ip netns exec "$SRV" nft -f - <<'NFT'
table inet first_packet_drop {
  set seen { type ipv4_addr . inet_service; }
  chain input {
    type filter hook input priority 10;
    udp dport 3000 udp length >= 40 @th,64,32 0x04000000 @th,128,64 0 ip saddr . udp sport != @seen add @seen { ip saddr . udp sport } counter drop
  }
}
NFT
fi
wgmon_start WGMON_TRACKING_IDLE_TIMEOUT=180s WGMON_METRICS_PER_PEER=false || exit 2
say "wgmon ready; DROP=$DROP"
ip netns exec "$CLI" ping -c 1 -W 1 10.10.10.1 > /dev/null || true
say "first ping: handshake; the server's latest handshake now $(ip netns exec "$SRV" wg show "$WGS" latest-handshakes | awk '{print $2}')"
sleep 3
ip netns exec "$CLI" ping -c 1 -W 1 10.10.10.1 > /dev/null || true
say "second ping; the server's latest handshake now $(ip netns exec "$SRV" wg show "$WGS" latest-handshakes | awk '{print $2}')"
for _ in $(seq $((WAIT * 10))); do grep -q 'peer.connected' "$WORK/wgmon.log" && break; sleep 0.1; done
if grep -q 'peer.connected' "$WORK/wgmon.log"; then
  say "wgmon reported the connect: $(grep -m1 'peer.connected' "$WORK/wgmon.log" | cut -c1-24)"; exit 0
fi
say "wgmon reported no connect within $WAIT s of the second ping, though the server records the handshake"
exit 1
