#!/usr/bin/env bash
# The firewall rules wgmon documents (README, "The firewall rule"; docs/architecture.md#firewall), in one
# place for the demo, the benches, the test beds and the kernel tier's scripts: source it, then
#   wgmon_nft_ruleset PORT GROUP [TIMEOUT [TABLE]]   prints table inet TABLE (default wgmon) as a file for
#                                                    `nft -f`, replacing the table if it exists
#   wgmon_add_nft_rules NS PORT GROUP [TIMEOUT]      loads it into network namespace NS
#   wgmon_nft_rules PORT GROUP                       prints only the two logging rules' bodies, one a line
#                                                    (no known endpoints: every handshake is logged)
# TIMEOUT (default 180s, wgmon's default wgmon.tracking.idle-timeout) is how long an endpoint stays known
# after the last handshake the server answered it; it must not exceed wgmon.tracking.idle-timeout.
# With WGMON_RULE_COUNTERS=1 the input chain starts with a rule counting every packet to the port, and
# each logging rule counts what it logs (for the benches: the first counter is everything, the others
# are logged).
#
# Logged: inbound handshake initiations (type 1, UDP length 156) and responses (type 2, UDP length 100),
# and the first data packet of each session (type 4 with counter 0), unless they come from a known
# endpoint: one wgmon added (nf_tables, after a scan saw a peer connected from it, until that peer's last
# handshake + TIMEOUT). The server refreshes a known endpoint with every response it sends there, so a
# connected peer's rekeys from it are not logged; a new endpoint (a connect, a roam) is.
# The kernel also dates the traffic of such endpoints for wgmon (docs/architecture.md#deadlines): every
# packet from one refreshes its element of seen4/seen6, every message the server sends to one (but a cookie
# reply) its element of sent4/sent6 (timeout 2 x TIMEOUT, so an element outlives idle-timeout); at a peer's deadline
# wgmon reads both and dumps the device only when they do not show the peer's traffic going both ways.
wgmon_nft_ruleset() {
  local port=$1 group=$2 timeout=${3:-180s} table=${4:-wgmon} count='' all=''
  local seconds
  seconds=$(wgmon_seconds "$timeout") || {
    echo "wgmon-rule.sh: TIMEOUT is an nft time in whole seconds or more, e.g. 180s, 3m or 1h30m, not '$timeout'" >&2
    return 2
  }
  local seen="$(( seconds * 2 ))s"
  if [ "${WGMON_RULE_COUNTERS:-}" = 1 ]; then
    count='counter '
    all="
    udp dport $port counter"
  fi
  local response="udp sport $port udp length 100 @th,64,32 0x02000000"
  local sent="udp sport $port @th,64,32 { 0x01000000, 0x02000000, 0x04000000 }"
  cat <<EOT
# wgmon's rules for WireGuard port $port, NFLOG group $group (README, "The firewall rule"). Load with nft -f:
# it replaces table inet $table. $timeout (known endpoints) must not exceed wgmon.tracking.idle-timeout.
table inet $table
delete table inet $table
table inet $table {
  # endpoints wgmon saw a peer connected from: their rekeys are not logged
  set known4 { type ipv4_addr . inet_service; flags timeout; timeout $timeout; size 65536; }
  set known6 { type ipv6_addr . inet_service; flags timeout; timeout $timeout; size 65536; }
  # when such an endpoint last sent a packet (seen) and was last sent one (sent): read at a peer's deadline
  set seen4 { type ipv4_addr . inet_service; flags timeout; timeout $seen; size 65536; }
  set seen6 { type ipv6_addr . inet_service; flags timeout; timeout $seen; size 65536; }
  set sent4 { type ipv4_addr . inet_service; flags timeout; timeout $seen; size 65536; }
  set sent6 { type ipv6_addr . inet_service; flags timeout; timeout $seen; size 65536; }
  chain input {
    type filter hook input priority 0;$all
    udp dport $port ip saddr . udp sport @known4 update @seen4 { ip saddr . udp sport } return
    udp dport $port ip6 saddr . udp sport @known6 update @seen6 { ip6 saddr . udp sport } return
    udp dport $port ip saddr . udp sport @seen4 update @seen4 { ip saddr . udp sport }
    udp dport $port ip6 saddr . udp sport @seen6 update @seen6 { ip6 saddr . udp sport }
    # logged: initiations (type 1), responses (type 2), first data packets
$(wgmon_nft_rules "$port" "$group" | sed "s/ log group/ ${count}log group/; s/^/    /")
  }
  chain output {
    type filter hook output priority 0;
    # each response the server sends (type 2) keeps a known endpoint known (only one already known)
    $response ip daddr . udp dport @known4 update @known4 { ip daddr . udp dport }
    $response ip6 daddr . udp dport @known6 update @known6 { ip6 daddr . udp dport }
    # each message the server sends to a seen endpoint (not a cookie reply, which goes to any sender) dates it
    $sent ip daddr . udp dport @seen4 update @sent4 { ip daddr . udp dport }
    $sent ip6 daddr . udp dport @seen6 update @sent6 { ip6 daddr . udp dport }
  }
}
EOT
}

# wgmon_seconds TIME: nft's time syntax (days, hours, minutes, seconds: 1d2h3m4s, any of them) as seconds
wgmon_seconds() {
  [[ $1 =~ ^([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$ ]] && [ -n "$1" ] || return 1
  local d=${BASH_REMATCH[1]%d} h=${BASH_REMATCH[2]%h} m=${BASH_REMATCH[3]%m} s=${BASH_REMATCH[4]%s}
  local total=$(( 10#${d:-0} * 86400 + 10#${h:-0} * 3600 + 10#${m:-0} * 60 + 10#${s:-0} ))
  [ "$total" -gt 0 ] || return 1
  echo "$total"
}

wgmon_nft_rules() {
  echo "udp dport $1 udp length . @th,64,32 { 156 . 0x01000000, 100 . 0x02000000 } log group $2"
  echo "udp dport $1 udp length >= 40 @th,64,32 0x04000000 @th,128,64 0 log group $2"
}

wgmon_add_nft_rules() {
  local ns=$1
  shift
  wgmon_nft_ruleset "$@" | ip netns exec "$ns" nft -f -
}

# Run (not sourced): prints the ruleset, e.g. scripts/lib/wgmon-rule.sh 51820 1 180s > /etc/wireguard/wgmon.nft
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  if [ $# -lt 2 ]; then
    echo "usage: $0 PORT GROUP [TIMEOUT (default 180s, at most wgmon.tracking.idle-timeout)]" >&2
    exit 2
  fi
  wgmon_nft_ruleset "$@"
fi
