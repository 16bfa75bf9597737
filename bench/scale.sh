#!/usr/bin/env bash
# wgmon's scale bench (issue 20), as root: what wgmon costs on a busy WireGuard server, next to the
# 5-second `wg show` poller it replaces, measured in the same run on the same bed. Four sections:
#
#   rest     a fresh wgmon through its launcher, nothing connected, REST_PEERS configured peers:
#            CPU and wakeups per thread in REST_WINDOWS windows of REST_SECONDS after ready
#   scale    for each of SIZES configured peers on a wireguard-go server: CLIENTS client devices
#            rekeying at REKEYS/s (by default the peers / 120 s: every configured peer active and
#            rekeying every 2 minutes, as WireGuard does) and new identities at CONNECTS/s (the same
#            at every size), data through the tunnel at
#            DATA_PPS, a synthetic NFLOG load of forged data packets at SYNTH_PPS; wgmon's CPU and the
#            poller's (each in a cpuacct cgroup of its own), scans by cause, connect latency and
#            disconnects counted against the driver's log (the bed's ground truth)
#   traffic  UDP through the tunnel at TRAFFIC_RATES packets/s (max: as fast as the sender can), with
#            the all-packets rule and the documented rule: wgmon's CPU, per packet, switches/s
#   flood    forged handshakes (ForgedPacketFloodIT's pattern) at FORGE_PPS for FLOOD_SECONDS, with
#            each rule: wgmon's CPU, scans/s, and a real connect during the flood
#
#   bench/scale.sh [--quick] [--no-doc]
#
# Knobs (environment): SECTIONS ("rest scale traffic flood"), SIZES ("100 1000 10000"), CLIENTS (50),
# REKEYS (auto: peers/120 per second), CONNECTS (0.5), WARM (10), WARM_CONNECTS (0.1: connects/s in the warm-up,
# as the pool allows), WARM_SCRAPE (10: seconds between /q/metrics readings in the warm-up), WINDOW (60),
# DATA_PPS (5000), SYNTH_PPS (100000; 0: as fast as it can), SYNTH_THREADS (2), IDLE_TIMEOUT (10s), TICK (1s),
# DRAIN (idle-timeout + tick + 10 s after the load), RULE (documented or all: the rule of the scale section),
# TRAFFIC_RATES ("0 1000 5000 20000 max"; 0 = no traffic), TRAFFIC_SECONDS (8), FORGE_PPS (0), FLOOD_SECONDS (10),
# REST_PEERS ("2 1000"), REST_WINDOWS (3), REST_SECONDS (60), LAUNCH (target/quarkus-app/wgmon), OUT (docs/benchmarks.md:
# the section between the "scale.sh" markers is replaced, the rest kept), PLOT (docs/scale.svg);
# TRACE (1: the tcpdump of the scale section records the sessions' first data packets too);
# APP_GROUP (wgmon's NFLOG group; another than the rule's is the negative control: wgmon then sees
# no packet, and its connects come late, found by the deadline scans of peers already connected);
# CLIENT_ADDRS (ports: every listen port the driver gives a client device, 61000-65535, sends from an
# address of its own, 198.18.x.y, by source NAT in the client namespace, so each identity's connect
# comes from its own address, as a real server's peers do; 1: every client device sends from the
# client namespace's one address, the bed before). The data client and the forged senders keep the
# namespace's address 192.0.2.2 either way.
# Default total: about 20 minutes on 2 cores. Needs what scripts/install-deps.sh installs; draws its
# plot itself (SVG), no plotting package needed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/scale.sh: run as root (namespaces, NFLOG, cgroups)"; exit 1; }

SECTIONS=${SECTIONS:-rest scale traffic flood}
SIZES=${SIZES:-100 1000 10000} CLIENTS=${CLIENTS:-50} REKEYS=${REKEYS:-auto} CONNECTS=${CONNECTS:-0.5}
WARM=${WARM:-10} WARM_CONNECTS=${WARM_CONNECTS:-0.1} WARM_SCRAPE=${WARM_SCRAPE:-10} WINDOW=${WINDOW:-60} DATA_PPS=${DATA_PPS:-5000} SYNTH_PPS=${SYNTH_PPS:-100000}
SYNTH_THREADS=${SYNTH_THREADS:-2}
IDLE_TIMEOUT=${IDLE_TIMEOUT:-10s} TICK=${TICK:-1s} RULE=${RULE:-documented} CLIENT_ADDRS=${CLIENT_ADDRS:-ports}
TRAFFIC_RATES=${TRAFFIC_RATES:-0 1000 5000 20000 max} TRAFFIC_SECONDS=${TRAFFIC_SECONDS:-8}
FORGE_PPS=${FORGE_PPS:-0} FLOOD_SECONDS=${FLOOD_SECONDS:-10}
REST_PEERS=${REST_PEERS:-2 1000} REST_WINDOWS=${REST_WINDOWS:-3} REST_SECONDS=${REST_SECONDS:-60}
WRITE_DOC=1
for arg in "$@"; do
  case "$arg" in
    --quick) SIZES="100 1000" WINDOW=20 WARM=5 REST_PEERS=2 REST_WINDOWS=1 REST_SECONDS=20 TRAFFIC_SECONDS=4
             TRAFFIC_RATES="0 5000 max" FLOOD_SECONDS=5 ;;
    --no-doc) WRITE_DOC=0 ;;
    *) echo "usage: bench/scale.sh [--quick] [--no-doc]"; exit 2 ;;
  esac
done
OUT=${OUT:-docs/benchmarks.md} PLOT=${PLOT:-docs/scale.svg}
LAUNCH=${LAUNCH:-target/quarkus-app/wgmon}
seconds_of() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /ms$/) n /= 1000; else if (v ~ /m$/) n *= 60; print n }'; }
idle_s=$(seconds_of "$IDLE_TIMEOUT") tick_s=$(seconds_of "$TICK")
DRAIN=${DRAIN:-$(awk -v i="$idle_s" -v t="$tick_s" 'BEGIN {printf "%d", i + t + 10}')}
started_at=$(date +%s)

scripts/install-deps.sh > /dev/null
[ -x "$LAUNCH" ] || [[ $LAUNCH != target/* ]] || ./mvnw -B -q -ntp package -DskipTests

RES=$(mktemp -d /tmp/wgmon-scale.XXXXXX)
TOOL=$RES/tool
javac -d "$TOOL" bench/BenchTool.java
tool() { java -cp "$TOOL" BenchTool "$@"; }
log() { printf '[scale %s] %s\n' "$(date +%T)" "$*" >&2; }
record() { printf '%s\t%s\n' "$1" "$2" >> "$RES/values.tsv"; }
value() { awk -F'\t' -v k="$1" '$1 == k {v = $2} END {print (v == "" ? "–" : v)}' "$RES/values.tsv"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# --- names: unique per run (UAPI sockets and cgroups are global) ---------------------------------
id=$$
SRV=wgscale-s-$id CLI=wgscale-c-$id WGS=wgss$id DATA=wgcd$id PORT=3000 GROUP=1
# wgmon adds known endpoints to table inet wgmon: the bed's namespace is its own
TABLE=wgmon
CG=/sys/fs/cgroup/cpuacct/wgmon-scale-$id
pids=() clients=()

cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  ip netns del "$SRV" 2>/dev/null; ip netns del "$CLI" 2>/dev/null
  rm -f "/var/run/wireguard/$WGS.sock" "/var/run/wireguard/$DATA.sock"
  for c in "${clients[@]}"; do rm -f "/var/run/wireguard/$c.sock"; done
  for d in "$CG"/*/; do
    [ -d "$d" ] || continue
    xargs -r kill < "$d/cgroup.procs" 2>/dev/null   # what is left of ours: the poller's sleep
    for _ in 1 2 3 4 5; do rmdir "$d" 2>/dev/null && break; sleep 0.2; done
  done
  pids=() clients=()
}
trap 'cleanup; rmdir "$CG"/* "$CG" 2>/dev/null; rm -rf "$TOOL" "$RES/bed"' EXIT   # the bed holds throwaway private keys
mkdir -p "$CG"
mkfifo "$RES/never"

# --- cgroups: CPU of a whole process tree, every thread and child included (cpuacct.usage, ns) ---
cg_make() { mkdir -p "$CG/$1"; }
cg_join() { echo "$2" > "$CG/$1/cgroup.procs"; }     # cg_join NAME PID: the process and its threads
cg_ns() { cat "$CG/$1/cpuacct.usage"; }

# --- the bed ------------------------------------------------------------------------------------
# rules RULE: the nft rules on the server, table $TABLE replaced. The input chain's first rule only counts
# (every packet on the WireGuard port, logged or filtered); "all" logs every packet (the old README's rule);
# "documented" is the README's ruleset (scripts/lib/wgmon-rule.sh, known endpoints for IDLE_TIMEOUT): it logs
# the handshake messages and the first data packet of each session, none from a known endpoint.
rules() {
  case "$1" in
    all) printf 'table inet %s\ndelete table inet %s\ntable inet %s {\n  chain input {\n    type filter hook input priority 0;\n    udp dport %s counter\n    udp dport %s counter log group %s\n  }\n}\n' \
           "$TABLE" "$TABLE" "$TABLE" "$PORT" "$PORT" "$GROUP" ;;
    documented)
      # shellcheck source=../scripts/lib/wgmon-rule.sh
      (source scripts/lib/wgmon-rule.sh && WGMON_RULE_COUNTERS=1 wgmon_nft_ruleset "$PORT" "$GROUP" "$IDLE_TIMEOUT" "$TABLE") ;;
    *) echo "unknown rule $1 (documented or all)"; exit 2 ;;
  esac | ip netns exec "$SRV" nft -f -
}
# client_addrs: with CLIENT_ADDRS=ports, source NAT in the client namespace gives each listen port of the
# client devices (the driver's, from 61000 up) an address of its own, 198.18.0.0/15 (RFC 2544's), and the
# server routes them back. Only those ports are tracked by conntrack: the data client and the forged
# senders (ephemeral ports) stay untracked and unchanged, so the bed's load is the same as with one address.
client_addrs() {
  case "$CLIENT_ADDRS" in
    1) return ;;
    ports) ;;
    *) echo "unknown CLIENT_ADDRS $CLIENT_ADDRS (ports or 1)"; exit 2 ;;
  esac
  awk -v dev="vcs$id" 'BEGIN {
    printf "table ip wgscale_addrs {\n  map by_port {\n    type inet_service : ipv4_addr\n    elements = { "
    for (p = 61000; p <= 65535; p++) { j = p - 60999; printf "%s%d : 198.18.%d.%d", (p > 61000 ? ", " : ""), p, int(j / 256), j % 256 }
    printf " }\n  }\n"
    printf "  chain raw_out {\n    type filter hook output priority raw;\n    udp sport 61000-65535 return\n    notrack\n  }\n"
    printf "  chain raw_pre {\n    type filter hook prerouting priority raw;\n    udp dport 61000-65535 return\n    notrack\n  }\n"
    printf "  chain post {\n    type nat hook postrouting priority srcnat;\n"
    printf "    oifname \"%s\" udp sport 61000-65535 snat ip to udp sport map @by_port\n  }\n}\n", dev }' \
    | ip netns exec "$CLI" nft -f -
  ip -n "$SRV" route add 198.18.0.0/15 via 192.0.2.2
}
# counters: "ALL LOGGED": packets on the port so far, and those the logging rules matched
counters() {
  ip netns exec "$SRV" nft list chain inet "$TABLE" input | awk '
    /counter packets/ { for (i = 1; i <= NF; i++) if ($i == "packets") n = $(i + 1)
      if (++r == 1) all = n; else logged += n }
    END { printf "%d %d\n", all, logged }'
}

# bed_up PEERS CLIENTS [nodata]: a server device with PEERS configured peers (one of them the data
# client unless nodata), CLIENTS client devices (wireguard-go each) in one client namespace, keys for
# PEERS-1 identities the driver hands out, the rules, a webhook receiver
bed_up() {
  local peers=$1 nclients=$2 i name
  WORK=$RES/bed; rm -rf "$WORK"; mkdir -p "$WORK"
  ip netns add "$SRV"; ip netns add "$CLI"
  ip link add "vss$id" type veth peer name "vcs$id"
  ip link set "vss$id" netns "$SRV"; ip link set "vcs$id" netns "$CLI"
  ip -n "$SRV" addr add 192.0.2.1/24 dev "vss$id"; ip -n "$SRV" link set "vss$id" up; ip -n "$SRV" link set lo up
  ip -n "$CLI" addr add 192.0.2.2/24 dev "vcs$id"; ip -n "$CLI" link set "vcs$id" up; ip -n "$CLI" link set lo up
  client_addrs
  export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
  ip netns exec "$SRV" wireguard-go -f "$WGS" > "$WORK/wg-srv.log" 2>&1 & pids+=($!)
  ip netns exec "$CLI" wireguard-go -f "$DATA" > /dev/null 2>&1 & pids+=($!)
  for i in $(seq "$nclients"); do
    name=wgc${id}x$i; clients+=("$name")
    ip netns exec "$CLI" wireguard-go -f "$name" > /dev/null 2>&1 & pids+=($!)
  done
  (umask 077; wg genkey > "$WORK/srv.key"; wg genkey > "$WORK/data.key")
  wg pubkey < "$WORK/srv.key" > "$WORK/srv.pub"; wg pubkey < "$WORK/data.key" > "$WORK/data.pub"
  tool identities "$((peers - 1))" 20 "$WORK/keys" "$WORK/peers.conf"
  { printf '[Interface]\nPrivateKey = %s\nListenPort = %d\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.9.0.2/32\n' \
      "$(cat "$WORK/srv.key")" "$PORT" "$(cat "$WORK/data.pub")"; cat "$WORK/peers.conf"; } > "$WORK/srv.conf"
  for _ in $(seq 100); do
    local missing=0
    for name in "$WGS" "$DATA" "${clients[@]}"; do [ -S "/var/run/wireguard/$name.sock" ] || missing=1; done
    [ "$missing" = 0 ] && break; sleep 0.1
  done
  ip netns exec "$SRV" wg setconf "$WGS" "$WORK/srv.conf"
  ip -n "$SRV" addr add 10.10.10.1/24 dev "$WGS"; ip -n "$SRV" link set "$WGS" up
  ip -n "$SRV" route add 10.9.0.0/16 dev "$WGS"
  ip netns exec "$CLI" wg set "$DATA" private-key "$WORK/data.key" \
    peer "$(cat "$WORK/srv.pub")" allowed-ips 10.10.10.1/32 endpoint "192.0.2.1:$PORT"
  ip -n "$CLI" addr add 10.9.0.2/32 dev "$DATA"; ip -n "$CLI" link set "$DATA" up
  ip -n "$CLI" route add 10.10.10.1/32 dev "$DATA"
  for name in "${clients[@]}"; do ip -n "$CLI" link set "$name" up; done
  rules "$RULE"
  [ "${3:-}" = nodata ] || ip netns exec "$CLI" ping -c 1 -W 2 10.10.10.1 > /dev/null   # the data session, before wgmon
  : > "$WORK/events"
  ip netns exec "$SRV" java -cp "$TOOL" BenchTool receiver 9999 "$WORK/events" > "$WORK/receiver.log" 2>&1 & pids+=($!)
  for _ in $(seq 300); do grep -q listening "$WORK/receiver.log" 2>/dev/null && break; sleep 0.1; done
  ip netns exec "$SRV" bash -c 'for _ in 1 2 3; do exec 3<>/dev/tcp/127.0.0.1/9999
    printf "POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}" >&3; cat <&3 > /dev/null; exec 3>&-; done'
}

http_get() {
  ip netns exec "$SRV" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9588 && printf "GET %s HTTP/1.0\r\n\r\n" "$1" >&3 && cat <&3' _ "$1"
}
# scans by cause: "cause count" lines
scans() {
  http_get /q/metrics | awk '/^wgmon_scans_seconds_count\{/ {
    c = $0; sub(/.*cause="/, "", c); sub(/".*/, "", c); n[c] += $NF } END {for (k in n) printf "%s %d\n", k, n[k]}' | sort
}
# scan_seconds: "cause count seconds" lines, the scans' wall time summed (wgmon_scans_seconds)
scan_seconds() {
  http_get /q/metrics | awk '/^wgmon_scans_seconds_(count|sum)\{/ {
    c = $0; sub(/.*cause="/, "", c); sub(/".*/, "", c); if ($0 ~ /_count\{/) n[c] += $NF; else t[c] += $NF }
    END {for (k in n) printf "%s %d %s\n", k, n[k], t[k]}' | sort
}
# scan_ms_between A B: "cause=mean ms ..." of the scans between two scan_seconds readings (wall time, one scan each)
scan_ms_between() {
  LC_ALL=C join -a 2 -e 0 -o 0,1.2,1.3,2.2,2.3 "$1" "$2" | awk '{n = $4 - $2; if (n > 0) printf "%s=%.1f ", $1, ($5 - $3) * 1000 / n} END {print ""}'
}
# scans_between A B: "cause=count ..." of the scans between two readings, and the total
scans_between() {
  LC_ALL=C join -a 2 -e 0 -o 0,1.2,2.2 "$1" "$2" | awk '{d = $3 - $2; t += d; if (d) printf "%s=%d ", $1, d} END {printf "total=%d\n", t}'
}

# app_start: a fresh wgmon in the server namespace, in its own cgroup; sets app_pid, ready_ms
app_start() {
  local t0 status
  cg_make wgmon
  t0=$(date +%s%N)
  ip netns exec "$SRV" env WGMON_NFLOG_GROUP="${APP_GROUP:-$GROUP}" WGMON_WIREGUARD_INTERFACES="$WGS" \
    WGMON_WEBHOOK_URL=http://127.0.0.1:9999/ WGMON_TRACKING_IDLE_TIMEOUT="$IDLE_TIMEOUT" WGMON_TRACKING_TICK="$TICK" \
    WGMON_METRICS_PER_PEER=false $LAUNCH > "$WORK/app.log" 2>&1 &
  app_pid=$!; pids+=($app_pid)
  cg_join wgmon "$app_pid"
  for _ in $(seq 1200); do
    status=$(ip netns exec "$SRV" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9588 && printf "GET /q/health/ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3' 2>/dev/null || true)
    case "$status" in *" 200 "*) break ;; esac
    [ -d "/proc/$app_pid" ] || { echo "wgmon ended:"; cat "$WORK/app.log"; exit 1; }
    sleep 0.05
  done
  case "$status" in *" 200 "*) ;; *) echo "wgmon did not become ready"; cat "$WORK/app.log"; exit 1 ;; esac
  ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}
# alive KEY: whether wgmon still runs; if not (another process on this shared machine killed it),
# says so in the results instead of figures
alive() {
  [ -d "/proc/$app_pid" ] && return 0
  log "wgmon ended before $1 was measured: $(tail -n 2 "$WORK/app.log" | tr '\n' ' ')"
  record "$1.threads" "wgmon-ended-(killed-from-outside)"; record "$1.cpu_ms_per_min" "–"; return 1
}
app_stop() {
  local rc=0
  [ -d "/proc/$app_pid" ] || log "wgmon had ended before it was stopped"
  kill -TERM "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 143 ] || log "wgmon exited with status $rc"
  cp "$WORK/app.log" "$RES/app.$(date +%H%M%S).log" 2>/dev/null || true
}
# the server namespace's UDP datagrams dropped for a full receive buffer (wireguard-go's socket among them)
udp_rcvbuf_errors() { ip netns exec "$SRV" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 } else print $c["RcvbufErrors"] }' /proc/net/snmp; }
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s + 0}'; }

# thread_snapshot PID: "TID NAME SWITCHES CPU_NS" per live thread (schedstat's first field)
thread_snapshot() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s %s %s\n' "${t##*/}" "$(tr ' ' '_' < "$t/comm")" \
      "$(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status")" "$(cut -d' ' -f1 "$t/schedstat")"
  done 2>/dev/null | LC_ALL=C sort
}

# the poller: a shell loop as an operator would write it, in a cgroup of its own (the shell, wg,
# sleep); the UAPI socket folder is shared by every namespace here, so it names the server device
# (on a box with one WireGuard interface that is what `wg show all dump` reads)
poller_start() {
  cg_make poller
  # joined from here before its first dump (\`ip netns exec\` mounts its own /sys, without the cgroups)
  ip netns exec "$SRV" bash -c 'read -r _ < "$1"; while :; do wg show "$2" dump > /dev/null; sleep 5; done' \
    _ "$RES/never" "$WGS" & poller_pid=$!; pids+=($poller_pid)
  cg_join poller "$poller_pid"
  echo go > "$RES/never"
}

# --- rest: what an operator's box sees -------------------------------------------------------------
rest_section() {
  local peers w a b
  for peers in $REST_PEERS; do
    bed_up "$peers" 0 nodata
    app_start
    log "rest, $peers peers: ready in $ready_ms ms; $REST_WINDOWS windows of $REST_SECONDS s"
    record "rest.$peers.ready_ms" "$ready_ms"
    thread_snapshot "$app_pid" > "$RES/t0"; a=$(cg_ns wgmon)
    for w in $(seq "$REST_WINDOWS"); do
      sleep "$REST_SECONDS"
      alive "rest.$peers.$w" || break
      thread_snapshot "$app_pid" > "$RES/t$w"; b=$(cg_ns wgmon)
      record "rest.$peers.$w.cpu_ms_per_min" "$(awk -v a="$a" -v b="$b" -v s="$REST_SECONDS" 'BEGIN {printf "%.1f", (b - a) / 1e6 * 60 / s}')"
      record "rest.$peers.$w.load" "$(loadavg)"
      # per thread name: wakeups and CPU in the window (a thread started in it counts whole)
      LC_ALL=C join -a 2 -e 0 -o 0,2.2,1.3,1.4,2.3,2.4 "$RES/t$((w - 1))" "$RES/t$w" | awk -v s="$REST_SECONDS" '
        { n[$2] += $5 - $3; c[$2] += ($6 - $4) / 1e6; tn += $5 - $3 }
        END { printf "wakeups=%d", tn * 60 / s; for (k in n) if (n[k] > 0 || c[k] > 0.05) printf " %s:%d/%.2f", k, n[k] * 60 / s, c[k] * 60 / s; print "" }' \
        > "$RES/rest.threads"
      record "rest.$peers.$w.threads" "$(cat "$RES/rest.threads")"
      a=$b
    done
    app_stop; cleanup
  done
}

rest_table() {
  echo "| configured peers | window after ready | wgmon CPU, ms/min (cgroup) | wakeups/min, all threads | threads that woke: wakeups/min / CPU ms/min | load average |"
  echo "|---|---|---|---|---|---|"
  local peers w t
  for peers in $REST_PEERS; do
    for w in $(seq "$REST_WINDOWS"); do
      t=$(value "rest.$peers.$w.threads")
      printf '| %s | %s–%s s | %s | %s | %s | %s |\n' "$peers" "$(( (w - 1) * REST_SECONDS ))" "$(( w * REST_SECONDS ))" \
        "$(value "rest.$peers.$w.cpu_ms_per_min")" "$(awk '{sub(/wakeups=/, "", $1); print $1}' <<< "$t")" \
        "$(cut -d' ' -f2- <<< "$t" | tr ' ' '\n' | sort -t/ -k2,2gr | paste -sd, - | sed 's/_/ /g; s/,/, /g')" \
        "$(value "rest.$peers.$w.load")"
    done
  done
}

# --- scale: N configured peers, handshakes, data, synthetic load, the poller beside -----------------
scale_run() {
  local n=$1 c sockets s a0 a1 p0 p1 c0 c1 sw0 sw1 k0 k1 t0 t1 pool connects warm_connects rekeys
  rekeys=$REKEYS; [ "$rekeys" = auto ] && rekeys=$(awk -v n="$n" 'BEGIN {printf "%.2f", n / 120}')
  # each client rekeys at least every idle-timeout / 2, or its identity would fall idle between two
  # rekeys and be reported gone and back (true, but not the bed's ground truth)
  c=$(awk -v n="$n" -v m="$CLIENTS" -v r="$rekeys" -v i="$idle_s" 'BEGIN {
    c = int(r * i / 2); if (c < 2) c = 2; if (c > m) c = m; if (c > int((n - 1) / 2)) c = int((n - 1) / 2); print c }')
  bed_up "$n" "$c"
  app_start
  sockets=$(printf '/var/run/wireguard/%s.sock,' "${clients[@]}"); sockets=${sockets%,}
  # new identities at CONNECTS/s while the pool lasts (the first $c connect the clients)
  pool=$(( n - 1 )); connects=$(awk -v r="$CONNECTS" -v s="$((WARM + WINDOW))" -v p="$pool" -v c="$c" 'BEGIN {
    x = r * s; if (x > p - c) x = p - c; printf "%.3f", x / s }')
  # the warm-up connects faster (WARM_CONNECTS/s, with what the pool leaves after the window's), so each event's
  # code is compiled before the window, as on a server that has run for a while
  warm_connects=$(awk -v w="$WARM_CONNECTS" -v ws="$WARM" -v r="$connects" -v s="$WINDOW" -v p="$pool" -v c="$c" 'BEGIN {
    x = p - c - r * s; if (ws <= 0 || x <= 0) { print 0; exit } if (w * ws > x) w = x / ws; if (w < r) w = r; printf "%.3f", w }')
  log "scale, $n peers: ready in $ready_ms ms; $c clients, $rekeys rekeys/s and $connects connects/s ($warm_connects in the warm-up), $WARM s warm-up, $WINDOW s window"
  record "scale.$n.rekeys_asked" "$rekeys"; record "scale.$n.connects_asked" "$connects"
  poller_start
  # every handshake message on the server's link, both ways (with TRACE, the sessions' first data packets too):
  # when the server answered each connect's initiation, and the initiations it left unanswered
  ip netns exec "$SRV" tcpdump -l -tt -n -i "vss$id" "udp port $PORT and (udp[8] = 1 or udp[8] = 2 or udp[8] = 3${TRACE:+ or (udp[8] = 4 and udp[16:4] = 0 and udp[20:4] = 0)})" \
    > "$RES/tcpdump.$n.txt" 2> /dev/null & pids+=($!)
  local rcvbuf0; rcvbuf0=$(udp_rcvbuf_errors)
  sleep 2
  ip netns exec "$CLI" java -cp "$TOOL" BenchTool drive "$sockets" "$WORK/keys" "$(cat "$WORK/srv.pub")" "192.0.2.1:$PORT" \
    "$(awk -v r="$rekeys" -v c="$connects" 'BEGIN {print r + c}')" "$connects" "$((WARM + WINDOW))" "$WORK/driver.log" \
    1 "$WARM" "$warm_connects" > "$WORK/driver.out" 2>&1 & local driver=$!
  # scraped through the warm-up as Prometheus would, so that the window's own two readings run compiled code
  local warm_end=$(( $(date +%s) + WARM ))
  while [ $(( $(date +%s) + WARM_SCRAPE )) -lt "$warm_end" ]; do
    http_get /q/metrics > /dev/null; sleep "$WARM_SCRAPE"
  done
  local left=$(( warm_end - $(date +%s) ))
  if [ "$left" -gt 0 ]; then sleep "$left"; fi
  scans > "$RES/s0"; scan_seconds > "$RES/st0"; a0=$(cg_ns wgmon); p0=$(cg_ns poller); read -r k0 c0 <<< "$(counters)"; sw0=$(switches "$app_pid")
  thread_snapshot "$app_pid" > "$RES/w0"
  t0=$(date +%s%N)
  local dl0 cn0; dl0=$(awk '$2 == "rekey"' "$WORK/driver.log" | wc -l); cn0=$(awk '$2 == "connect"' "$WORK/driver.log" | wc -l)
  local senders=()
  if [ "$DATA_PPS" != none ]; then
    ip netns exec "$CLI" java -cp "$TOOL" BenchTool send "${DATA_PPS/max/0}" "$WINDOW" 10.10.10.1 9 > "$WORK/data.out" 2>&1 & senders+=($!)
  fi
  if [ "$SYNTH_PPS" != none ]; then
    ip netns exec "$CLI" java -cp "$TOOL" BenchTool forge data "$SYNTH_PPS" "$WINDOW" 192.0.2.1 "$PORT" "$SYNTH_THREADS" \
      > "$WORK/synth.out" 2>&1 & senders+=($!)
  fi
  if [ "${#senders[@]}" -gt 0 ]; then wait "${senders[@]}" 2>/dev/null || true; else sleep "$WINDOW"; fi
  wait "$driver" || { cat "$WORK/driver.out"; exit 1; }
  t1=$(date +%s%N)
  alive "scale.$n" || { app_stop; cleanup; return; }
  scans > "$RES/s1"; scan_seconds > "$RES/st1"; a1=$(cg_ns wgmon); p1=$(cg_ns poller); read -r k1 c1 <<< "$(counters)"; sw1=$(switches "$app_pid")
  thread_snapshot "$app_pid" > "$RES/w1"
  local dl1 cn1; dl1=$(awk '$2 == "rekey"' "$WORK/driver.log" | wc -l); cn1=$(awk '$2 == "connect"' "$WORK/driver.log" | wc -l)
  local secs; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) / 1e9}')
  record "scale.$n.load" "$(loadavg)"
  record "scale.$n.clients" "$c"
  record "scale.$n.window_s" "$secs"
  record "scale.$n.wgmon_ms_per_min" "$(awk -v a="$a0" -v b="$a1" -v s="$secs" 'BEGIN {printf "%.0f", (b - a) / 1e6 * 60 / s}')"
  record "scale.$n.poller_ms_per_min" "$(awk -v a="$p0" -v b="$p1" -v s="$secs" 'BEGIN {printf "%.0f", (b - a) / 1e6 * 60 / s}')"
  # where wgmon's CPU went: the threads that used the most, ms/min
  record "scale.$n.threads" "$(LC_ALL=C join -a 2 -e 0 -o 0,2.2,1.4,2.4 "$RES/w0" "$RES/w1" | awk -v s="$secs" '
    { c[$2] += ($4 - $3) / 1e6 } END { for (k in c) printf "%.0f %s\n", c[k] * 60 / s, k }' | sort -rn | head -4 \
    | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}' | tr '_' ' ')"
  record "scale.$n.switches_per_s" "$(awk -v a="$sw0" -v b="$sw1" -v s="$secs" 'BEGIN {printf "%.0f", (b - a) / s}')"
  record "scale.$n.scans" "$(scans_between "$RES/s0" "$RES/s1")"
  record "scale.$n.scan_ms" "$(scan_ms_between "$RES/st0" "$RES/st1")"
  record "scale.$n.dumps_per_min" "$(scans_between "$RES/s0" "$RES/s1" | awk -v s="$secs" '{sub(/.*total=/, ""); printf "%.1f", $1 * 60 / s}')"
  record "scale.$n.rekeys_per_s" "$(awk -v a="$dl0" -v b="$dl1" -v s="$secs" 'BEGIN {printf "%.2f", (b - a) / s}')"
  record "scale.$n.connects_per_s" "$(awk -v a="$cn0" -v b="$cn1" -v s="$secs" 'BEGIN {printf "%.2f", (b - a) / s}')"
  record "scale.$n.port_pps" "$(awk -v a="$k0" -v b="$k1" -v s="$secs" 'BEGIN {printf "%.0f", (b - a) / s}')"
  record "scale.$n.logged_pps" "$(awk -v a="$c0" -v b="$c1" -v s="$secs" 'BEGIN {printf "%.0f", (b - a) / s}')"
  record "scale.$n.data_pps" "$(awk '/^sent/ {print $4}' "$WORK/data.out" 2>/dev/null || echo –)"
  record "scale.$n.synth_pps" "$(awk '/^sent/ {print $4}' "$WORK/synth.out" 2>/dev/null || echo –)"
  record "scale.$n.rss_mib" "$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$app_pid/status")"
  record "scale.$n.rcvbuf_errors" "$(( $(udp_rcvbuf_errors) - rcvbuf0 ))"
  xargs kill < "$CG/poller/cgroup.procs" 2>/dev/null || true
  log "scale, $n peers: load over; $(cat "$WORK/driver.out"); waiting $DRAIN s for the disconnects"
  sleep "$DRAIN"
  ground_truth "$n"
  server_answers "$n" "$c"
  cp "$WORK/driver.log" "$RES/driver.$n.log"; cp "$WORK/events" "$RES/events.$n"
  # the server's own view: an identity it never completed a handshake with cannot be reported
  ip netns exec "$SRV" wg show "$WGS" latest-handshakes > "$RES/handshakes.$n"
  record "scale.$n.never_handshook" "$(awk 'FNR == NR { if ($2 == "connect") c[$3] = 1; next } ($1 in c) && $2 == 0 { n++ } END { print n + 0 }' \
    "$WORK/driver.log" "$RES/handshakes.$n")"
  app_stop; cleanup
}

# ground_truth N: the receiver's events against the driver's log. A connect is matched to the
# first peer.connected of that identity (latency: the driver's UAPI write, which starts the
# handshake, to the receiver's arrival stamp); a disconnect to the first peer.disconnected of an
# identity that fell silent (delay: from its last handshake). Anything else is extra.
ground_truth() {
  awk -v p="scale.$1." -v data="$(cat "$WORK/data.pub")" -v bound="$(awk -v i="$idle_s" -v t="$tick_s" 'BEGIN {print (i + t) * 1e6}')" '
    FNR == NR { if ($2 == "connect") { con[$3] = $1; nc++ } else if ($2 == "silent") { sil[$3] = $4; ns++ }; next }
    $3 == data { dc[$2]++; next }
    $2 == "peer.connected" { if (($3 in con) && !got[$3]++) lat[++nl] = ($1 - con[$3]) / 1000; else xc++ }
    $2 == "peer.disconnected" { if (($3 in sil) && !dgot[$3]++) { d = $1 - sil[$3]; del[++nd] = d / 1e6; if (d > bound) late++ } else xd++ }
    function pct(v, n, q,   i, j, x) { for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j > 0 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
      return n ? v[int(n * q + 0.999) < 1 ? 1 : int(n * q + 0.999)] : -1 }
    END {
      printf "%sconnects_expected\t%d\n%sconnects_reported\t%d\n%sconnects_extra\t%d\n", p, nc, p, nl, p, xc
      printf "%sconnect_p50_ms\t%.1f\n%sconnect_p99_ms\t%.1f\n%sconnect_max_ms\t%.1f\n", p, pct(lat, nl, 0.5), p, pct(lat, nl, 0.99), p, pct(lat, nl, 1)
      printf "%sdisconnects_expected\t%d\n%sdisconnects_reported\t%d\n%sdisconnects_extra\t%d\n%sdisconnects_late\t%d\n", p, ns, p, nd, p, xd, p, late + 0
      printf "%sdisconnect_p50_s\t%.1f\n%sdisconnect_max_s\t%.1f\n", p, pct(del, nd, 0.5), p, pct(del, nd, 1)
      printf "%sdata_client_events\t%d connected, %d disconnected\n", p, dc["peer.connected"], dc["peer.disconnected"]
    }' "$WORK/driver.log" "$WORK/events" >> "$RES/values.tsv"
}

# server_answers N CLIENTS: each reported connect against the server's handshake messages on the wire (tcpdump):
# latency from the server's last response to the connect's port before the report arrived (the handshake the
# server accepted), initiations it left unanswered (dropped under load: the client or the driver initiated
# again), and connects it answered more than once before the report. The latency also apart for the first
# CLIENTS connects (every client device at once as the driver starts: a burst, as after a server restart)
# and the paced ones after them (one at a time, CONNECTS/s)
server_answers() {
  awk -v p="scale.$1." -v port="$PORT" -v burst="$2" '
    FILENAME ~ /driver/ { if ($2 == "connect") { t0[$3] = $1 / 1e6; cport[$3] = $4; if (++nconn <= burst) inburst[$3] = 1 }; next }
    FILENAME ~ /events/ { if ($2 == "peer.connected" && !($3 in arr)) arr[$3] = $1 / 1e6; next }
    { split($3, a, "."); split($5, b, "."); sub(/:$/, "", b[5])
      if (b[5] == port && $NF == 148) { ni[a[5]]++; it[a[5], ni[a[5]]] = $1; if (!src[a[1] "." a[2] "." a[3] "." a[4]]++) nsrc++ }
      else if (a[5] == port && $NF == 92) { nr[b[5]]++; rt[b[5], nr[b[5]]] = $1 } }
    function pct(v, n, q,   i, j, x) { for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j > 0 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
      return n ? v[int(n * q + 0.999) < 1 ? 1 : int(n * q + 0.999)] : -1 }
    END {
      for (k in t0) {
        if (!(k in arr)) continue
        q = cport[k]; first = 0; last = 0; r = 0; i = 0
        for (j = 1; j <= nr[q]; j++) if (rt[q, j] >= t0[k] && rt[q, j] <= arr[k]) { if (!first) first = rt[q, j]; last = rt[q, j]; r++ }
        for (j = 1; j <= ni[q]; j++) if (it[q, j] >= t0[k] && it[q, j] <= arr[k]) i++
        if (!last) { noanswer++; continue }
        lat[++n] = (arr[k] - last) * 1000; fl[n] = (arr[k] - first) * 1000
        if (k in inburst) lb[++nb] = lat[n]; else lp[++np] = lat[n]
        if (i > r) unanswered++
        if (r > 1) again++
      }
      printf "%saccepted_p50_ms\t%.1f\n%saccepted_p99_ms\t%.1f\n%saccepted_max_ms\t%.1f\n", p, pct(lat, n, 0.5), p, pct(lat, n, 0.99), p, pct(lat, n, 1)
      printf "%sfirst_answer_p50_ms\t%.1f\n%sfirst_answer_p99_ms\t%.1f\n%sfirst_answer_max_ms\t%.1f\n", p, pct(fl, n, 0.5), p, pct(fl, n, 0.99), p, pct(fl, n, 1)
      printf "%sunanswered\t%d\n%sanswered_again\t%d\n%sno_answer_seen\t%d\n", p, unanswered, p, again, p, noanswer
      printf "%sinitiation_sources\t%d\n", p, nsrc
      printf "%saccepted_paced\t%d: %.1f / %.1f / %.1f\n", p, np, pct(lp, np, 0.5), pct(lp, np, 0.99), pct(lp, np, 1)
      printf "%saccepted_burst\t%d: %.1f / %.1f / %.1f\n", p, nb, pct(lb, nb, 0.5), pct(lb, nb, 0.99), pct(lb, nb, 1)
    }' "$WORK/driver.log" "$WORK/events" "$RES/tcpdump.$1.txt" >> "$RES/values.tsv"
}

scale_table() {
  local n
  printf '| figure |'; for n in $SIZES; do printf ' %s peers |' "$n"; done; echo
  printf '|---|'; for n in $SIZES; do printf -- '---|'; done; echo
  row() { local label=$1 key=$2; printf '| %s |' "$label"; for n in $SIZES; do printf ' %s |' "$(value "scale.$n.$key")"; done; echo; }
  row "**wgmon's CPU, ms/min** (cgroup: every thread)" wgmon_ms_per_min
  row "**the 5-second \`wg show\` poller's CPU, ms/min** (cgroup: shell, wg, sleep)" poller_ms_per_min
  row "wgmon's dumps (scans) per minute (the poller: 12)" dumps_per_min
  row "wgmon's scans in the window, by cause" scans
  row "a scan's read of the device (UAPI dump and parse, \`wgmon_scans_seconds\`), wall time by cause, mean, ms" scan_ms
  row "of which the busiest threads, ms/min" threads
  row "wgmon's context switches/s" switches_per_s
  row "wgmon's RSS at the end of the window, MiB" rss_mib
  row "client devices handshaking" clients
  row "distinct source addresses of the initiations on the server's link (CLIENT_ADDRS=$CLIENT_ADDRS)" initiation_sources
  row "rekeys of connected peers, /s asked (peers / 120 s)" rekeys_asked
  row "rekeys/s reached in the window" rekeys_per_s
  row "connects (new identities), /s asked" connects_asked
  row "connects/s reached in the window" connects_per_s
  row "data through the tunnel, packets/s (asked: $DATA_PPS)" data_pps
  row "synthetic load: forged data packets to the port, packets/s (asked: ${SYNTH_PPS/#0/as fast as it can})" synth_pps
  row "packets on the WireGuard port, logged or filtered, /s" port_pps
  row "of which logged to NFLOG, /s" logged_pps
  row "the server's UDP datagrams dropped for a full receive buffer in the window" rcvbuf_errors
  row "connects: identities that handshook" connects_expected
  row "of those, identities the server never completed a handshake with" never_handshook
  row "connects reported" connects_reported
  row "extra peer.connected" connects_extra
  printf '| connect p50 / p99 / max after the handshake started, ms |'
  for n in $SIZES; do printf ' %s / %s / %s |' "$(value "scale.$n.connect_p50_ms")" "$(value "scale.$n.connect_p99_ms")" "$(value "scale.$n.connect_max_ms")"; done; echo
  printf '| **connect p50 / p99 / max after the handshake the server accepted** (its last response to the port before the report), ms |'
  for n in $SIZES; do printf ' %s / %s / %s |' "$(value "scale.$n.accepted_p50_ms")" "$(value "scale.$n.accepted_p99_ms")" "$(value "scale.$n.accepted_max_ms")"; done; echo
  row "of which paced connects (one at a time, after the first): count: p50 / p99 / max after the accepted handshake, ms" accepted_paced
  row "of which the first connects (every client device at once as the driver starts, a burst): count: p50 / p99 / max, ms" accepted_burst
  printf '| connect p50 / p99 / max after the server'"'"'s first response to the port (an upper bound where it answered again), ms |'
  for n in $SIZES; do printf ' %s / %s / %s |' "$(value "scale.$n.first_answer_p50_ms")" "$(value "scale.$n.first_answer_p99_ms")" "$(value "scale.$n.first_answer_max_ms")"; done; echo
  row "connects with an initiation the server left unanswered (dropped under load; initiated again)" unanswered
  row "connects the server answered more than once before the report (a retry or a rekey first)" answered_again
  row "disconnects expected (identities that fell silent)" disconnects_expected
  row "disconnects reported" disconnects_reported
  row "extra peer.disconnected" disconnects_extra
  row "disconnects later than idle-timeout + tick ($IDLE_TIMEOUT + $TICK) after the last handshake" disconnects_late
  row "disconnect delay after the last handshake, p50, s" disconnect_p50_s
  row "disconnect delay, max, s" disconnect_max_s
  row "the data client (its session opened before wgmon started; data packets are not logged with the documented rule)" data_client_events
  row "load average at the end of the window" load
}

# --- traffic and flood: one client, the two rules ------------------------------------------------
traffic_section() {
  local rule rate a0 a1 k0 k1 c0 c1 sw0 sw1 t0 t1 secs reached
  bed_up 3 1
  app_start
  log "traffic: rates $TRAFFIC_RATES, $TRAFFIC_SECONDS s each, rules all and documented"
  sleep 3
  for rate in $TRAFFIC_RATES; do
    for rule in all documented; do
      rules "$rule"; sleep 1
      a0=$(cg_ns wgmon); read -r k0 c0 <<< "$(counters)"; sw0=$(switches "$app_pid"); t0=$(date +%s%N)
      if [ "$rate" = 0 ]; then sleep "$TRAFFIC_SECONDS"; reached=0
      else
        reached=$(ip netns exec "$CLI" java -cp "$TOOL" BenchTool send "${rate/max/0}" "$TRAFFIC_SECONDS" 10.10.10.1 9 | awk '{print $4}')
      fi
      t1=$(date +%s%N); a1=$(cg_ns wgmon); read -r k1 c1 <<< "$(counters)"; sw1=$(switches "$app_pid")
      secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print (b - a) / 1e9}')
      record "traffic.$rate.$rule" "$(awk -v a="$a0" -v b="$a1" -v k="$((k1 - k0))" -v c="$((c1 - c0))" -v s="$secs" \
        -v w="$((sw1 - sw0))" -v r="$reached" -v l="$(loadavg)" 'BEGIN {
          cpu = (b - a) / 1e9
          printf "%.0f|%.0f|%.0f|%.2f|%s|%.0f|%s", r, k / s, c / s, 100 * cpu / s, (k >= 100 ? sprintf("%.1f", cpu * 1e6 / k) : "–"), w / s, l }')"
    done
  done
  traffic_flood
  app_stop; cleanup
}

# forged handshakes from one source, during which one client connects (a new identity)
traffic_flood() {
  local rule a0 a1 k0 k1 c0 c1 t0 t1 secs flood key=0 lat
  for rule in all documented; do
    rules "$rule"; sleep 1
    key=$((key + 1)); sed -n "${key}p" "$WORK/keys" > "$WORK/probe.key"
    scans > "$RES/f0"; a0=$(cg_ns wgmon); read -r k0 c0 <<< "$(counters)"; t0=$(date +%s%N)
    ip netns exec "$CLI" java -cp "$TOOL" BenchTool forge handshakes "$FORGE_PPS" "$FLOOD_SECONDS" 192.0.2.1 "$PORT" \
      > "$WORK/flood.out" 2>&1 & flood=$!
    sleep "$(awk -v s="$FLOOD_SECONDS" 'BEGIN {print s / 2}')"
    : > "$WORK/probe.log"
    # the client keeps its peer 8 s, so that a handshake the server answers with a cookie (under
    # load) is retried (REKEY_TIMEOUT, 5 s)
    ip netns exec "$CLI" java -cp "$TOOL" BenchTool drive "/var/run/wireguard/${clients[0]}.sock" "$WORK/probe.key" \
      "$(cat "$WORK/srv.pub")" "192.0.2.1:$PORT" 10 0 0.05 "$WORK/probe.log" 8 > /dev/null &
    local probe=$!
    wait "$flood"
    t1=$(date +%s%N); a1=$(cg_ns wgmon); read -r k1 c1 <<< "$(counters)"; scans > "$RES/f1"   # the flood's window
    wait "$probe"
    # did the server complete that handshake at all (wireguard-go under load answers with cookies)?
    local shake; shake=$(ip netns exec "$SRV" wg show "$WGS" latest-handshakes | awk -v k="$(awk '{print $3}' "$WORK/probe.key")" \
      -v t="$(awk '$2 == "connect" {print $1}' "$WORK/probe.log")" '$1 == k {print ($2 > 0 ? sprintf("%d s after the start (whole seconds)", $2 - int(t / 1e6)) : "never")}')
    for _ in $(seq 100); do grep -q "peer.connected $(awk '{print $3}' "$WORK/probe.key")" "$WORK/events" && break; sleep 0.1; done
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print (b - a) / 1e9}')
    lat=$(awk 'FNR == NR { if ($2 == "connect") c[$3] = $1; next } $2 == "peer.connected" && ($3 in c) { printf "%.1f", ($1 - c[$3]) / 1000; exit }' \
      "$WORK/probe.log" "$WORK/events")
    record "flood.$rule" "$(awk '/^sent/ {print $4}' "$WORK/flood.out")|$(awk -v k="$((k1 - k0))" -v c="$((c1 - c0))" -v s="$secs" 'BEGIN {printf "%.0f|%.0f", k / s, c / s}')|$(awk -v a="$a0" -v b="$a1" -v s="$secs" 'BEGIN {printf "%.1f", 100 * (b - a) / 1e9 / s}')|$(scans_between "$RES/f0" "$RES/f1" | awk -v s="$secs" '{t = $NF; sub(/total=/, "", t); printf "%.2f (%s)", t / s, $0}')|${lat:-none}|${shake:-?}|$(loadavg)"
  done
}

traffic_table() {
  echo "| traffic asked, packets/s | sent / on the WireGuard port, /s (all-packets run; documented run) | all-packets rule: logged/s | wgmon's CPU, % of a core | µs per packet | wgmon's context switches/s | documented rule: logged/s | wgmon's CPU, % of a core | µs per packet | context switches/s | load average |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  local rate
  for rate in $TRAFFIC_RATES; do
    IFS='|' read -r sa pa la ca ua wa _ <<< "$(value "traffic.$rate.all")"
    IFS='|' read -r sd pd ld cd ud wd load <<< "$(value "traffic.$rate.documented")"
    printf '| %s | %s / %s; %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$rate" "$sa" "$pa" "$sd" "$pd" "$la" "$ca" "$ua" "$wa" "$ld" "$cd" "$ud" "$wd" "$load"
  done
}

flood_table() {
  echo "| rule | forged datagrams/s sent | on the WireGuard port, /s | logged to NFLOG, /s | wgmon's CPU, % of a core | scans/s (by cause) | a real connect during the flood: handshake start → webhook, ms | the server's last handshake with that client | load average |"
  echo "|---|---|---|---|---|---|---|---|---|"
  local rule
  for rule in all documented; do
    IFS='|' read -r sent port logged cpu sc lat shake load <<< "$(value "flood.$rule")"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$rule" "$sent" "$port" "$logged" "$cpu" "$sc" "$lat" "$shake" "$load"
  done
}

# plot: wgmon's and the poller's CPU against configured peers, log-log, an SVG drawn here
plot() {
  local n pts=""
  for n in $SIZES; do pts+="$n $(value "scale.$n.wgmon_ms_per_min") $(value "scale.$n.poller_ms_per_min") $(value "scale.$n.dumps_per_min") "; done
  awk -v pts="$pts" -v title="wgmon vs the 5-second wg show poller, same bed, same run ($(date -u +%F))" 'BEGIN {
    n = split(pts, v, " "); k = 0
    for (i = 1; i <= n; i += 4) { k++; x[k] = v[i]; w[k] = v[i + 1]; p[k] = v[i + 2]; d[k] = v[i + 3] }
    W = 680; H = 400; L = 70; R = 190; T = 40; B = 50
    ymin = 1; ymax = 1
    for (i = 1; i <= k; i++) { if (w[i] > ymax) ymax = w[i]; if (p[i] > ymax) ymax = p[i]; if (d[i] > ymax) ymax = d[i] }
    ly1 = int(log(ymax) / log(10)) + 1; lx0 = log(x[1]) / log(10); lx1 = log(x[k]) / log(10); if (lx1 == lx0) lx1 = lx0 + 1
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H
    printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"%d\" y=\"20\" font-size=\"13\">%s</text>\n", L, title
    for (e = 0; e <= ly1; e++) { y = T + (H - T - B) * (1 - e / ly1)
      printf "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", L, W - R, y, y, L - 6, y + 4, 10 ^ e }
    for (i = 1; i <= k; i++) { xx = L + (W - L - R) * (log(x[i]) / log(10) - lx0) / (lx1 - lx0)
      printf "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", xx, xx, T, H - B, xx, H - B + 16, x[i] }
    printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">configured peers</text>\n", (L + W - R) / 2, H - 12
    printf "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">per minute (log scale)</text>\n", (T + H - B) / 2, (T + H - B) / 2
    series(w, "#c0392b", "wgmon CPU, ms/min", 0); series(p, "#2c3e50", "poller CPU, ms/min", 1); series(d, "#27ae60", "wgmon dumps/min", 2)
    for (i = 1; i <= k; i++) q[i] = 12
    series(q, "#7f8c8d", "poller dumps/min", 3)
    print "</svg>" }
  function series(s, color, label, row,   i, xx, yy, path) {
    path = ""
    for (i = 1; i <= k; i++) { xx = L + (W - L - R) * (log(x[i]) / log(10) - lx0) / (lx1 - lx0)
      yy = T + (H - T - B) * (1 - (s[i] > 1 ? log(s[i]) / log(10) : 0) / ly1)
      path = path (i == 1 ? "M" : "L") sprintf("%.1f %.1f ", xx, yy)
      printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-size=\"10\">%s</text>\n", xx, yy, color, xx + 5, yy - 5, color, s[i] }
    printf "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", path, color
    printf "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n", W - R + 12, T + 10 + 20 * row, color, W - R + 28, T + 14 + 20 * row, label }' > "$RES/scale.svg"
}

# --- run it all (one function, read whole before it runs: the file may change under a long run) ---
main() {
load_before=$(loadavg)
if [[ $LAUNCH == *wgmon ]] && ! ls "$(dirname "$LAUNCH")"/wgmon-*.jsa > /dev/null 2>&1; then
  log "writing the launcher's class-data archive first (a first start, not measured)"
  bed_up 2 0 nodata; app_start; app_stop; cleanup
fi
for section in $SECTIONS; do
  case "$section" in
    rest) rest_section ;;
    scale) for n in $SIZES; do scale_run "$n"; done ;;
    traffic) traffic_section ;;
    flood) [[ " $SECTIONS " == *" traffic "* ]] || { echo "flood runs with traffic (same bed)"; exit 2; } ;;
    *) echo "unknown section $section"; exit 2 ;;
  esac
done
load_after=$(loadavg)
elapsed=$(( $(date +%s) - started_at ))
cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
machine="$cpu_model, $(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r), $(java -version 2>&1 | head -n 1)"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")$(git diff --quiet HEAD -- src 2>/dev/null || echo "+changes")

report() {
  cat <<EOF
<!-- scale.sh begin: generated by bench/scale.sh; bench/run.sh keeps this block -->
## At scale: a busy server, the two rules, floods, at rest (bench/scale.sh)

\`bench/scale.sh\` (as root; \`--quick\` for a short run; knobs at its top). Machine: $machine.
Date: $(date -u +%F), code $commit, launch \`$LAUNCH\`, $elapsed s. Load average $load_before before
and $load_after after (the machine is shared: every figure below carries the load average of its
window). wgmon: nflog group $GROUP, idle-timeout $IDLE_TIMEOUT, tick $TICK, \`wgmon.metrics.per-peer=false\`.
CPU of wgmon and of the poller from \`cpuacct.usage\` of a cgroup each (every thread and child
process, nanoseconds); per-thread figures from \`/proc/PID/task/*/schedstat\`.
EOF
  if [[ " $SECTIONS " == *" scale "* ]]; then cat <<EOF

### wgmon and the poller from 100 to 10,000 peers

The bed: a wireguard-go server with N configured peers (\`wg setconf\`), one client namespace with
up to $CLIENTS client devices (wireguard-go each; fewer where the rekey rate is low, so that each
client rekeys at least every idle-timeout / 2 and no identity falls idle while it is in use) and one
data client. $( [ "$CLIENT_ADDRS" = 1 ] && echo "All of them send from the client namespace's one address (\`CLIENT_ADDRS=1\`)." || echo "Each listen port of the client devices sends from an address of its own (source NAT in the
client namespace, \`CLIENT_ADDRS=ports\`), so each identity's connect comes from a new address; the data
client and the forged senders share the namespace's address.") A driver makes the
handshakes through the clients' UAPI sockets. First each client takes an identity (a connect),
then, paced, each step re-adds the server peer on the next client (\`replace_peers\` and a
persistent keepalive, so WireGuard handshakes at once: a rekey of a connected peer) at
$( [ "$REKEYS" = auto ] && echo "N / 120 per second (every configured peer active, rekeying every 2 minutes as
WireGuard does: 0.8/s at 100 peers, 8/s at 1,000, 83/s at 10,000)" || echo "$REKEYS/s"), or, at $CONNECTS/s at every
size (while unused identities last), gives the client the next identity of the N and a new listen
port (a connect: a user who was not connected; the old identity falls silent and must be reported
gone). At the end every client drops its server peer. Meanwhile the data client sends
64-byte UDP through the tunnel and a sender forges data packets (type 4, counter ≠ 0) to the
WireGuard port: the synthetic NFLOG load. Rule: **$RULE**. The poller, \`while :; do wg show
<if> dump; sleep 5; done\`, runs beside wgmon for the whole window. The window is $WINDOW s after
$WARM s of handshakes; in the warm-up connects come at $WARM_CONNECTS/s (as the identities allow) and
\`/q/metrics\` is read every $WARM_SCRAPE s, so that each event's code and the window's own two readings of
the metrics are compiled before it, as on a server that has run a while. The disconnects are awaited $DRAIN s after it. Connect latency: the driver's
UAPI write that starts the handshake (so it includes the handshake, about 1–2 ms) to the arrival
at the webhook receiver.

$(scale_table)

![wgmon and the poller against configured peers]($(basename "$PLOT"))
EOF
  fi
  if [[ " $SECTIONS " == *" traffic "* ]]; then cat <<EOF

### Traffic through the tunnel: the all-packets rule against the documented rule

One data client, 64-byte UDP datagrams through the tunnel, $TRAFFIC_SECONDS s per rate and rule (the
rule swapped in place, the same wgmon), \`max\` = as fast as one sender thread can. wgmon's CPU
per packet is over the packets on the WireGuard port; context switches are every thread's
voluntary and involuntary ones. Rate 0: no traffic, the data client's session open.

$(traffic_table)

### Forged handshakes (the flood of ForgedPacketFloodIT)

One forged source sends a type 2, a type 1 (148 bytes) and a type 4 datagram over and over to the
WireGuard port for $FLOOD_SECONDS s ($( [ "$FORGE_PPS" = 0 ] && echo "as fast as one thread can" || echo "$FORGE_PPS/s")); halfway, a
client connects with a new identity.

$(flood_table)
EOF
  fi
  if [[ " $SECTIONS " == *" rest "* ]]; then cat <<EOF

### At rest, as an operator's box sees it

A fresh wgmon through its launcher, nothing connected, windows of $REST_SECONDS s one after the
other from ready (no settling first). No packet arrives, so the missing-rule probe scans in these
minutes (docs/architecture.md#rule-diagnosis: a tick after start, then twice as far apart each time). Per thread: wakeups (voluntary + involuntary switches) and
CPU per minute.

$(rest_table)
EOF
  fi
  echo
  cat bench/scale-notes.md
  echo "<!-- scale.sh end -->"
}

[ -f bench/scale-notes.md ] || : > bench/scale-notes.md
[[ " $SECTIONS " == *" scale "* ]] && plot
report > "$RES/report.md"
cat "$RES/report.md"
echo "raw values: $RES/values.tsv"
[ "$WRITE_DOC" = 1 ] || exit 0
[[ " $SECTIONS " == *" scale "* ]] && cp "$RES/scale.svg" "$PLOT"
if grep -q '^<!-- scale.sh begin' "$OUT"; then
  awk -v f="$RES/report.md" '/^<!-- scale.sh begin/ {while ((getline l < f) > 0) print l; skip = 1; next}
    /^<!-- scale.sh end/ {skip = 0; next} !skip' "$OUT" > "$RES/out.md"
  cp "$RES/out.md" "$OUT"
else
  { echo; cat "$RES/report.md"; } >> "$OUT"
fi
echo "wrote $OUT"
}
main; exit
