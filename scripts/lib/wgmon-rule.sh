# The firewall rules wgmon documents (README, "Firewall rule"), for the demo, the benches and the kernel
# tier's scripts: source it, then
#   wgmon_nft_rules PORT GROUP          prints the two rule bodies, one a line (after "nft add rule inet wgmon input")
#   wgmon_add_nft_rules NS PORT GROUP   adds table inet wgmon, chain input and both rules in namespace NS
# They log inbound handshake initiations (type 1, UDP length 156) and responses (type 2, UDP length 100),
# and the first data packet of each session (type 4 with counter 0); ordinary data packets stay in the kernel.
wgmon_nft_rules() {
  echo "udp dport $1 udp length . @th,64,32 { 156 . 0x01000000, 100 . 0x02000000 } log group $2"
  echo "udp dport $1 udp length >= 40 @th,64,32 0x04000000 @th,128,64 0 log group $2"
}

wgmon_add_nft_rules() {
  local ns=$1 port=$2 group=$3 rule
  ip netns exec "$ns" nft add table inet wgmon
  ip netns exec "$ns" nft add chain inet wgmon input '{ type filter hook input priority 0 ; }'
  wgmon_nft_rules "$port" "$group" | while read -r rule; do
    ip netns exec "$ns" nft "add rule inet wgmon input $rule"
  done
}
