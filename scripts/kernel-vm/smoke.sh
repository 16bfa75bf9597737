#!/usr/bin/env bash
# Smoke scenario for the kernel test tier, run INSIDE the VM by run.sh:
#   scripts/kernel-vm/run.sh .cache/kernel-vm /tmp/kernel-vm-out -- scripts/kernel-vm/smoke.sh
# Two network namespaces joined by a veth, a kernel WireGuard interface in each, a ping through
# the tunnel (handshake), wgmon's nft rules logging the handshake to NFLOG group 5 with tcpdump
# bound to that group, and the JVM. Leaves in $KERNEL_VM_OUT (run.sh's OUT_DIR):
#   wg-dump.txt   server side `wg show all dump`, private key masked
#   nflog.txt     what tcpdump read from NFLOG group 5
set -euo pipefail
port=3000
group=5
out=${KERNEL_VM_OUT:?run this through scripts/kernel-vm/run.sh}
step() { echo "== $*"; }

step "kernel $(uname -r), wireguard module $(cat /sys/module/wireguard/version)"
java -version 2>&1 | head -n 1

step "namespaces and veth"
ip netns add srv
ip netns add cli
ip link add vsrv type veth peer name vcli
ip link set vsrv netns srv
ip link set vcli netns cli
ip -n srv addr add 192.0.2.1/24 dev vsrv
ip -n cli addr add 192.0.2.2/24 dev vcli
for ns in srv cli; do ip -n $ns link set lo up; done
ip -n srv link set vsrv up
ip -n cli link set vcli up

step "kernel WireGuard interfaces"
srv_key=$(wg genkey)
cli_key=$(wg genkey)
ip -n srv link add wg0 type wireguard
ip -n cli link add wg1 type wireguard
ip netns exec srv wg set wg0 listen-port $port private-key <(echo "$srv_key") \
  peer "$(wg pubkey <<<"$cli_key")" allowed-ips 10.10.10.2/32
ip netns exec cli wg set wg1 private-key <(echo "$cli_key") \
  peer "$(wg pubkey <<<"$srv_key")" allowed-ips 10.10.10.1/32 endpoint 192.0.2.1:$port
ip -n srv addr add 10.10.10.1/24 dev wg0
ip -n cli addr add 10.10.10.2/24 dev wg1
ip -n srv link set wg0 up
ip -n cli link set wg1 up

step "wgmon's nft rules to NFLOG group $group, tcpdump bound to it"
source "$(dirname "$0")/../lib/wgmon-rule.sh"
wgmon_add_nft_rules srv $port $group
ip netns exec srv timeout 120 tcpdump -n -l -i nflog:$group -c 2 >"$out/nflog.txt" 2>"$out/tcpdump.err" &
tcpdump_pid=$!
for _ in $(seq 60); do
  grep -q "listening on" "$out/tcpdump.err" 2>/dev/null && break
  kill -0 $tcpdump_pid 2>/dev/null || { cat "$out/tcpdump.err"; exit 1; }
  sleep 0.5
done

step "ping through the tunnel"
ip netns exec cli ping -n -c 2 -w 60 10.10.10.1
wait $tcpdump_pid || { echo "tcpdump saw fewer than 2 packets on nflog:$group"; cat "$out/tcpdump.err"; }
cat "$out/nflog.txt"

step "a known endpoint refreshed by the output hook (wgmon adds it; here by hand, 5 s, then a new handshake)"
cli_port=$(ip netns exec cli wg show wg1 listen-port)
ip netns exec srv nft add element inet wgmon known4 "{ 192.0.2.2 . $cli_port timeout 5s }"
ip netns exec cli wg set wg1 peer "$(wg pubkey <<<"$srv_key")" remove
ip netns exec cli wg set wg1 peer "$(wg pubkey <<<"$srv_key")" allowed-ips 10.10.10.1/32 endpoint 192.0.2.1:$port
ip netns exec cli ping -n -c 1 -w 30 10.10.10.1
ip netns exec srv nft list set inet wgmon known4 | tee "$out/known4.txt"

step "wg show all dump (server)"
ip netns exec srv wg show all dump | awk 'BEGIN { OFS = "\t" } NF == 5 { $2 = "(private key)" } { print }' \
  | tee "$out/wg-dump.txt"
