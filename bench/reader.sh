#!/usr/bin/env bash
# The NFLOG reader at high rates (issue 20), as root. A wireguard-go server watched by the packaged wgmon
# (through its launcher) with the documented rules; from a client namespace, forged handshake initiations
# (type 1, 148 bytes: what the documented rule logs most) from one socket, paced at each of RATES per second
# for SECONDS; halfway through each rate, a real connect (the client device takes a new identity and a new
# port and pings through the tunnel). Per rate: packets on the port and logged (nft counters), delivered to
# wgmon (wgmon_packets_total) and ENOBUFS notices (wgmon_packets_lost_total), the reader thread's CPU and
# wake-ups (schedstat; voluntary + involuntary switches), wgmon's whole CPU (every thread), and the connect:
# the client's `wg set` to the peer.connected at the webhook receiver, in ms. Prints a markdown table, then
# one of every thread that ran in each rate's window: its CPU and switches per delivered packet.
#
#   bench/reader.sh            knobs (environment): RATES ("0 150 1000 10000 max"), DURATION (10 s a rate),
#                              LAUNCH (target/quarkus-app/wgmon), SOURCE ("stranger": forged initiations from
#                              a source no peer uses; "connected": rekeys of a connected peer, a type 1 and a
#                              type 4 with counter 0 in turn from the endpoint of a peer that connected first,
#                              its device moved to another port; RATES then count datagrams, two a rekey);
#                              any WGMON_* variable reaches wgmon as is
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/reader.sh: run as root (namespaces, NFLOG)"; exit 1; }
RATES=${RATES:-0 150 1000 10000 max} SECONDS_PER_RATE=${DURATION:-10}
LAUNCH=${LAUNCH:-target/quarkus-app/wgmon}
SOURCE=${SOURCE:-stranger}
case "$SOURCE" in
  stranger) KIND=initiations FROM_PORT=0 IDLE=30s ;;
  connected) KIND=rekeys FROM_PORT=40000 IDLE=600s ;;
  *) echo "SOURCE is stranger or connected"; exit 1 ;;
esac
[ -x "$LAUNCH" ] || { echo "build first: ./mvnw -B -ntp package -DskipTests"; exit 1; }

id=$$ PORT=3000 GROUP=1
SRV=wgrd-s-$id CLI=wgrd-c-$id WGS=wgrs$id WGC=wgrc$id
RES=$(mktemp -d /tmp/wgmon-reader.XXXXXX)
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  ip netns del "$SRV" 2>/dev/null; ip netns del "$CLI" 2>/dev/null
  rm -f "/var/run/wireguard/$WGS.sock" "/var/run/wireguard/$WGC.sock"
  rm -rf "$RES/keys"   # throwaway private keys
}
trap cleanup EXIT
log() { printf '[reader %s] %s\n' "$(date +%T)" "$*" >&2; }
javac -d "$RES/tool" bench/BenchTool.java
tool() { java -cp "$RES/tool" BenchTool "$@"; }

# --- the bed: server and client namespaces, wireguard-go each, one identity per rate ---------------
ip netns add "$SRV"; ip netns add "$CLI"
ip link add "vrs$id" type veth peer name "vrc$id"
ip link set "vrs$id" netns "$SRV"; ip link set "vrc$id" netns "$CLI"
ip -n "$SRV" addr add 192.0.2.1/24 dev "vrs$id"; ip -n "$SRV" link set "vrs$id" up; ip -n "$SRV" link set lo up
ip -n "$CLI" addr add 192.0.2.2/24 dev "vrc$id"; ip -n "$CLI" link set "vrc$id" up; ip -n "$CLI" link set lo up
export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
ip netns exec "$SRV" wireguard-go -f "$WGS" > /dev/null 2>&1 & pids+=($!)
ip netns exec "$CLI" wireguard-go -f "$WGC" > /dev/null 2>&1 & pids+=($!)
mkdir -m 700 "$RES/keys"
umask 077
wg genkey > "$RES/keys/srv"; wg pubkey < "$RES/keys/srv" > "$RES/srv.pub"
n=0
for _ in $RATES; do n=$((n + 1)); wg genkey > "$RES/keys/$n"; wg pubkey < "$RES/keys/$n" > "$RES/$n.pub"; done
wg genkey > "$RES/keys/0"; wg pubkey < "$RES/keys/0" > "$RES/0.pub"   # the connected peer of SOURCE=connected
for _ in $(seq 100); do [ -S "/var/run/wireguard/$WGS.sock" ] && [ -S "/var/run/wireguard/$WGC.sock" ] && break; sleep 0.1; done
ip netns exec "$SRV" wg set "$WGS" listen-port "$PORT" private-key "$RES/keys/srv"
for i in $(seq 0 "$n"); do
  ip netns exec "$SRV" wg set "$WGS" peer "$(cat "$RES/$i.pub")" allowed-ips "10.9.0.$((10 + i))/32"
done
ip -n "$SRV" addr add 10.10.10.1/24 dev "$WGS"; ip -n "$SRV" link set "$WGS" up
ip -n "$SRV" route add 10.9.0.0/16 dev "$WGS"
ip -n "$CLI" link set "$WGC" up
ip netns exec "$SRV" nft add table inet wgrd
ip netns exec "$SRV" nft add chain inet wgrd input '{ type filter hook input priority 0 ; }'
ip netns exec "$SRV" nft add rule inet wgrd input udp dport "$PORT" counter
# shellcheck source=../scripts/lib/wgmon-rule.sh
source scripts/lib/wgmon-rule.sh
# the logging rules without the README's known endpoints: those would keep the forged rekeys of
# SOURCE=connected (from the connected peer's endpoint) in the kernel, and this bench is about the reader
while read -r rule; do
  ip netns exec "$SRV" nft "add rule inet wgrd input ${rule/ log group/ counter log group}"
done < <(wgmon_nft_rules "$PORT" "$GROUP")
counters() {   # "ALL LOGGED"
  ip netns exec "$SRV" nft list chain inet wgrd input | awk '
    /counter packets/ { for (i = 1; i <= NF; i++) if ($i == "packets") n = $(i + 1)
      if (++r == 1) all = n; else logged += n }
    END { printf "%d %d\n", all, logged }'
}
: > "$RES/events"
ip netns exec "$SRV" java -cp "$RES/tool" BenchTool receiver 9999 "$RES/events" > "$RES/receiver.log" 2>&1 & pids+=($!)
for _ in $(seq 300); do grep -q listening "$RES/receiver.log" 2>/dev/null && break; sleep 0.1; done

# --- wgmon ------------------------------------------------------------------------------------------
ip netns exec "$SRV" env WGMON_NFLOG_GROUP="$GROUP" WGMON_WIREGUARD_INTERFACES="$WGS" \
  WGMON_WEBHOOK_URL=http://127.0.0.1:9999/ WGMON_TRACKING_IDLE_TIMEOUT="$IDLE" WGMON_TRACKING_TICK=1s \
  WGMON_METRICS_PER_PEER=false "$LAUNCH" > "$RES/app.log" 2>&1 &
app=$!; pids+=($app)
http_get() {
  ip netns exec "$SRV" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9588 && printf "GET %s HTTP/1.0\r\n\r\n" "$1" >&3 && cat <&3' _ "$1"
}
for _ in $(seq 1200); do
  http_get /q/health/ready 2>/dev/null | head -1 | grep -q " 200 " && break
  [ -d "/proc/$app" ] || { cat "$RES/app.log"; exit 1; }
  sleep 0.05
done
metric() { http_get /q/metrics | awk -v m="$1" 'index($0, m) == 1 {s += $NF} END {printf "%d\n", s}'; }
reader_tid() { grep -l '^wgmon-nflog-rea' /proc/"$app"/task/*/comm | head -1 | cut -d/ -f5; }
# "CPU_NS SWITCHES" of one thread, or of every thread with "all"
cpu_switches() {
  local tasks
  if [ "$1" = all ]; then tasks=(/proc/"$app"/task/*); else tasks=(/proc/"$app"/task/"$1"); fi
  for t in "${tasks[@]}"; do
    printf '%s %s\n' "$(cut -d' ' -f1 "$t/schedstat")" "$(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status")"
  done 2>/dev/null | awk '{c += $1; s += $2} END {printf "%.0f %.0f\n", c, s}'
}
# "TID NAME CPU_NS SWITCHES" of every thread
threads() {
  for t in /proc/"$app"/task/*; do
    printf '%s %s %s %s\n' "${t##*/}" "$(tr ' ' _ < "$t/comm")" "$(cut -d' ' -f1 "$t/schedstat")" \
      "$(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status")"
  done 2>/dev/null
}
connect() {   # identity I on listen port PORT_FROM, a ping through the tunnel; prints the `wg set`'s epoch µs
  ip -n "$CLI" addr flush dev "$WGC"; ip -n "$CLI" addr add "10.9.0.$((10 + $1))/32" dev "$WGC"
  date +%s%6N
  ip netns exec "$CLI" wg set "$WGC" listen-port "$2" private-key "$RES/keys/$1" \
    peer "$(cat "$RES/srv.pub")" allowed-ips 10.10.10.1/32 endpoint "192.0.2.1:$PORT"
  ip -n "$CLI" route replace 10.10.10.1/32 dev "$WGC"
  ip netns exec "$CLI" ping -c 1 -W 2 10.10.10.1 > /dev/null || log "ping through the tunnel failed (identity $1)"
}
tid=$(reader_tid)
if [ "$SOURCE" = connected ]; then
  connect 0 "$FROM_PORT" > /dev/null
  for _ in $(seq 50); do grep -q "peer.connected $(cat "$RES/0.pub")" "$RES/events" && break; sleep 0.1; done
  grep -q "peer.connected $(cat "$RES/0.pub")" "$RES/events" || { log "the connected peer was not reported"; exit 1; }
  # the device drops the server (else it tells it its new port) and leaves the port: wgmon still has the peer
  # connected from 192.0.2.2:$FROM_PORT, the forger's source, for an idle-timeout (IDLE) after its handshake
  ip netns exec "$CLI" wg set "$WGC" peer "$(cat "$RES/srv.pub")" remove
  ip netns exec "$CLI" wg set "$WGC" listen-port "$((FROM_PORT + 999))"
fi
log "wgmon ready (pid $app, reader thread $tid, source $SOURCE); warming up the packet path with 3 s at 1,000/s"
ip netns exec "$CLI" java -cp "$RES/tool" BenchTool forge "$KIND" 1000 3 192.0.2.1 "$PORT" 1 "$FROM_PORT" > /dev/null
sleep 2
: > "$RES/threads.md"

echo "| forged datagrams asked, /s | sent, /s | logged by the rule, /s | delivered to wgmon | ENOBUFS notices | reader thread: CPU, % of a core | µs per packet | wake-ups/s | packets per wake-up | wgmon, every thread: CPU, % of a core | scans | a connect during it, ms | load average |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
i=0
for rate in $RATES; do
  i=$((i + 1))
  pps=$rate; [ "$rate" = max ] && pps=0
  read -r all0 logged0 < <(counters); p0=$(metric 'wgmon_packets_total{'); l0=$(metric 'wgmon_packets_lost_total{')
  s0=$(metric 'wgmon_scans_seconds_count{')
  read -r rc0 rs0 < <(cpu_switches "$tid"); read -r ac0 _ < <(cpu_switches all); threads > "$RES/threads0"
  t0=$(date +%s%N)
  if [ "$rate" != 0 ]; then
    ip netns exec "$CLI" java -cp "$RES/tool" BenchTool forge "$KIND" "$pps" "$SECONDS_PER_RATE" 192.0.2.1 "$PORT" 1 \
      "$FROM_PORT" > "$RES/forge.out" & forger=$!
  fi
  sleep "$(awk -v s="$SECONDS_PER_RATE" 'BEGIN {print s / 2}')"
  # a connect: a new identity on a new port, then a ping through the tunnel completes the handshake
  c0=$(connect "$i" "$((41000 + i))")
  if [ "$rate" != 0 ]; then wait "$forger"; sent=$(awk '{print $2}' "$RES/forge.out"); else sleep "$(awk -v s="$SECONDS_PER_RATE" 'BEGIN {print s / 2}')"; sent=0; fi
  t1=$(date +%s%N); read -r rc1 rs1 < <(cpu_switches "$tid"); read -r ac1 _ < <(cpu_switches all); threads > "$RES/threads1"
  sleep 1   # the connect's webhook, and packets still queued
  read -r all1 logged1 < <(counters); p1=$(metric 'wgmon_packets_total{'); l1=$(metric 'wgmon_packets_lost_total{')
  s1=$(metric 'wgmon_scans_seconds_count{')
  # every thread that ran in the window, by CPU: per delivered packet (the connect's scan and webhook included)
  awk -v r="$rate" -v p="$((p1 - p0))" 'NR == FNR {cpu[$1] = $3; sw[$1] = $4; next}
    ($1 in cpu) && $3 > cpu[$1] { printf "%s %s %.0f %d\n", r, $2, ($3 - cpu[$1]) / 1000, $4 - sw[$1] }' \
    "$RES/threads0" "$RES/threads1" | sort -k3,3nr | awk -v p="$((p1 - p0))" '{
      printf "| %s | %s | %.2f | %s | %d | %s |\n", $1, $2, $3 / 1000, (p > 0 ? sprintf("%.1f", $3 / p) : "–"), $4,
        (p > 0 ? sprintf("%.2f", $4 / p) : "–") }' >> "$RES/threads.md"
  pub=$(cat "$RES/$i.pub")
  for _ in $(seq 50); do grep -q "peer.connected $pub" "$RES/events" && break; sleep 0.1; done
  connect=$(awk -v k="$pub" -v c="$c0" '$2 == "peer.connected" && $3 == k {printf "%.1f", ($1 - c) / 1000; exit}' "$RES/events")
  awk -v s="$sent" -v a="$((all1 - all0))" -v g="$((logged1 - logged0))" -v p="$((p1 - p0))" -v l="$((l1 - l0))" \
      -v rc="$((rc1 - rc0))" -v rs="$((rs1 - rs0))" -v ac="$((ac1 - ac0))" -v ns="$((t1 - t0))" -v r="$rate" \
      -v sc="$((s1 - s0))" -v c="${connect:-none}" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v w="$SECONDS_PER_RATE" 'BEGIN {
    sec = ns / 1e9
    printf "| %s | %.0f | %.0f | %d of %d | %d | %.2f | %s | %.0f | %s | %.2f | %d | %s | %s |\n", r, s / w, g / sec, p, g,
      l, rc / ns * 100, (p > 0 ? sprintf("%.1f", rc / 1000 / p) : "–"), rs / sec, (rs > 0 ? sprintf("%.1f", p / rs) : "–"),
      ac / ns * 100, sc, c, load }'
done
echo
echo "| rate | thread | CPU, ms | µs per packet delivered | switches | switches per packet |"
echo "|---|---|---|---|---|---|"
cat "$RES/threads.md"
log "done; wgmon's log: $RES/app.log"
