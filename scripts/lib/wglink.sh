# Shared by demo.sh and bench/run.sh (source it; needs root): a throwaway WireGuard link
# between two network namespaces (wireguard-go on both sides), the NFLOG rule an operator would
# add, and wgmon started in the server namespace.
#   SRV CLI      namespaces         WGS WGC   interfaces (server listens on 3000)
#   WORK         scratch folder     pids      background processes, killed by wglink_cleanup
#   client_pid   the client's wireguard-go, to make the client go away

source "$(dirname "${BASH_SOURCE[0]}")/wgmon-rule.sh"

SRV=wgdemo-srv-$$ CLI=wgdemo-cli-$$ WGS=wgds$$ WGC=wgdc$$
WORK=$(mktemp -d)
pids=()

wglink_cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  ip netns del "$SRV" 2>/dev/null; ip netns del "$CLI" 2>/dev/null
  rm -f "/var/run/wireguard/$WGS.sock" "/var/run/wireguard/$WGC.sock"
  rm -rf "$WORK"
}

wait_for() { # wait_for FILE PATTERN SECONDS
  for _ in $(seq $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1"; cat "$1"; return 1
}

# wglink_setup [TIMEOUT]: TIMEOUT keeps the rules' known endpoints (default 180s), at most wgmon's idle-timeout
wglink_setup() {
  ip netns add "$SRV"; ip netns add "$CLI"
  ip link add "vs$$" type veth peer name "vc$$"
  ip link set "vs$$" netns "$SRV"; ip link set "vc$$" netns "$CLI"
  ip -n "$SRV" addr add 192.0.2.1/24 dev "vs$$"; ip -n "$SRV" link set "vs$$" up; ip -n "$SRV" link set lo up
  ip -n "$CLI" addr add 192.0.2.2/24 dev "vc$$"; ip -n "$CLI" link set "vc$$" up; ip -n "$CLI" link set lo up
  (umask 077; wg genkey > "$WORK/srv.key"; wg genkey > "$WORK/cli.key")
  wg pubkey < "$WORK/srv.key" > "$WORK/srv.pub"; wg pubkey < "$WORK/cli.key" > "$WORK/cli.pub"
  export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
  ip netns exec "$SRV" wireguard-go -f "$WGS" >"$WORK/wg-srv.log" 2>&1 & pids+=($!)
  ip netns exec "$CLI" wireguard-go -f "$WGC" >"$WORK/wg-cli.log" 2>&1 & client_pid=$!; pids+=($client_pid)
  for _ in $(seq 50); do [ -S "/var/run/wireguard/$WGS.sock" ] && [ -S "/var/run/wireguard/$WGC.sock" ] && break; sleep 0.1; done
  ip netns exec "$SRV" wg set "$WGS" listen-port 3000 private-key "$WORK/srv.key" peer "$(cat "$WORK/cli.pub")" allowed-ips 10.10.10.2/32
  ip netns exec "$CLI" wg set "$WGC" private-key "$WORK/cli.key" peer "$(cat "$WORK/srv.pub")" allowed-ips 10.10.10.1/32 endpoint 192.0.2.1:3000
  ip -n "$SRV" addr add 10.10.10.1/24 dev "$WGS"; ip -n "$SRV" link set "$WGS" up
  ip -n "$CLI" addr add 10.10.10.2/24 dev "$WGC"; ip -n "$CLI" link set "$WGC" up
  wgmon_add_nft_rules "$SRV" 3000 1 "${1:-180s}"
}

# wgmon_start [NAME=VALUE]...: starts wgmon (WGMON_LAUNCH, default target/quarkus-app/wgmon) in the server
# namespace, logging to $WORK/wgmon.log, and waits until /q/health/ready answers 200 (management port 9588).
# Sets wgmon_pid.
wgmon_start() {
  ip netns exec "$SRV" env WGMON_NFLOG_GROUP=1 WGMON_WIREGUARD_INTERFACES="$WGS" "$@" \
    JAVA_OPTS_APPEND="${WGMON_JAVA_OPTS:-}" "${WGMON_LAUNCH:-target/quarkus-app/wgmon}" > "$WORK/wgmon.log" 2>&1 & wgmon_pid=$!; pids+=($wgmon_pid)
  local status=""
  for _ in $(seq 600); do
    status=$(ip netns exec "$SRV" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9588 && printf "GET /q/health/ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3' 2>/dev/null || true)
    case "$status" in *" 200 "*) return 0 ;; esac
    kill -0 "$wgmon_pid" 2>/dev/null || { cat "$WORK/wgmon.log"; return 1; }
    sleep 0.1
  done
  echo "wgmon did not become ready"; cat "$WORK/wgmon.log"; return 1
}
