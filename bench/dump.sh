#!/usr/bin/env bash
# What one dump of a large wireguard-go device costs inside the packaged app (issue 20), as root; a small
# bench, not the whole scale bed. A namespace with a wireguard-go device of PEERS configured peers (`wg
# setconf`, random keys, nothing connected), watched by wgmon through its launcher on an NFLOG group nothing
# logs to: with no packet since start wgmon's probe scans every tick (1 s) for its first 10 minutes (README,
# "Without the rule"), so every scan is one dump of the whole device. Optionally CHANGED peers a second get a
# new persistent keepalive (`wg set`), so that many peer blocks differ from the last read's at each dump.
# For each of VARIANTS, a fresh wgmon: WARM seconds, then a WINDOW of seconds in which the scan thread's CPU
# (/proc/PID/task/TID/schedstat of `wgmon-scan`) is divided by the scans it ran (wgmon_scans_seconds_count
# on /q/metrics); the process's CPU (every thread) likewise, and the busiest threads. Prints a markdown
# table with the load average of each window. Run it under `flock /work/bench.lock` on a shared machine.
#
#   bench/dump.sh           knobs (environment): PEERS (10000), VARIANTS ("c1 c2": c1 the launcher's flags,
#                           c2 the same with C2 on: -XX:TieredStopAtLevel=4 -XX:CICompilerCount=2; or
#                           name=flags pairs, "name=-XX:Foo -XX:Bar;name2=..." ), WARM (30), WINDOW (60),
#                           CHANGED (0 peers a second), LAUNCH (target/quarkus-app/wgmon), PERF (1: a
#                           `perf record -g` of the scan thread over the window, frame pointers kept in
#                           compiled code and the JIT's perf map written for it; its reports, each method's
#                           own samples and with its callees', and a GC log kept in the results folder)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/dump.sh: run as root (namespaces)"; exit 1; }
PEERS=${PEERS:-10000} WARM=${WARM:-30} WINDOW=${WINDOW:-60} CHANGED=${CHANGED:-0} PERF=${PERF:-0}
VARIANTS=${VARIANTS:-c1=;c2=-XX:TieredStopAtLevel=4 -XX:CICompilerCount=2}
LAUNCH=${LAUNCH:-target/quarkus-app/wgmon}
[ -x "$LAUNCH" ] || { echo "build first: ./mvnw -B -ntp package -DskipTests"; exit 1; }
[ $((WARM + WINDOW)) -lt 590 ] || { echo "WARM + WINDOW must stay inside the probe's 10 minutes"; exit 1; }

id=$$ GROUP=7
NS=wgdump-$id WGS=wgdp$id
RES=$(mktemp -d /tmp/wgmon-dump.XXXXXX)
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  rm -f "/var/run/wireguard/$WGS.sock"
  rm -f "$RES/srv.key"
}
trap cleanup EXIT
log() { printf '[dump %s] %s\n' "$(date +%T)" "$*" >&2; }
javac -d "$RES/tool" bench/BenchTool.java

# --- the bed: one namespace, one wireguard-go device of PEERS peers ----------------------------------
ip netns add "$NS"; ip -n "$NS" link set lo up
export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
ip netns exec "$NS" wireguard-go -f "$WGS" > /dev/null 2>&1 & pids+=($!)
(umask 077; wg genkey > "$RES/srv.key")
java -cp "$RES/tool" BenchTool peers "$PEERS" 20 "$RES/peers.conf"
{ printf '[Interface]\nPrivateKey = %s\nListenPort = 3000\n' "$(cat "$RES/srv.key")"; cat "$RES/peers.conf"; } > "$RES/srv.conf"
chmod 600 "$RES/srv.conf"
for _ in $(seq 100); do [ -S "/var/run/wireguard/$WGS.sock" ] && break; sleep 0.1; done
ip netns exec "$NS" wg setconf "$WGS" "$RES/srv.conf"
rm -f "$RES/srv.conf"
ip -n "$NS" link set "$WGS" up
mapfile -t keys < <(awk '/^PublicKey/ {print $3}' "$RES/peers.conf")

# changer: CHANGED peers a second, in turn, get a persistent keepalive of 25 s (0 again the next time round)
changer() {
  local round=0 i n=${#keys[@]} args
  while :; do
    args=()
    for ((i = 0; i < CHANGED; i++)); do
      args+=(peer "${keys[$(( (round * CHANGED + i) % n ))]}" persistent-keepalive $(( (round * CHANGED + i) / n % 2 ? 0 : 25 )))
    done
    ip netns exec "$NS" wg set "$WGS" "${args[@]}"
    round=$((round + 1))
    sleep 1
  done
}

http_get() {
  ip netns exec "$NS" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9588 && printf "GET %s HTTP/1.0\r\n\r\n" "$1" >&3 && cat <&3' _ "$1"
}
scans() { http_get /q/metrics | awk '/^wgmon_scans_seconds_count\{/ {s += $NF} END {printf "%d\n", s}'; }
# "TID NAME CPU_NS" per live thread
threads() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s %s\n' "${t##*/}" "$(tr ' ' '_' < "$t/comm")" "$(cut -d' ' -f1 "$t/schedstat")"
  done 2>/dev/null | LC_ALL=C sort
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

rows=()
IFS=';' read -r -a variants <<< "$VARIANTS"
for variant in "${variants[@]}"; do
  name=${variant%%=*} flags=${variant#*=} profiling=
  [ "$PERF" = 1 ] && profiling=" -XX:+PreserveFramePointer -Xlog:gc:file=$RES/gc-$name.log"
  [ "$CHANGED" = 0 ] || { changer & changer_pid=$!; pids+=($changer_pid); }
  ip netns exec "$NS" env WGMON_NFLOG_GROUP="$GROUP" WGMON_WIREGUARD_INTERFACES="$WGS" \
    WGMON_TRACKING_TICK=1s WGMON_METRICS_PER_PEER=false WGMON_STORE_DIR="$RES/store-$name" \
    JAVA_OPTS_APPEND="$flags$profiling" "$LAUNCH" > "$RES/app-$name.log" 2>&1 &
  app=$!; pids+=($app)
  for _ in $(seq 1200); do
    http_get /q/health/ready 2>/dev/null | head -1 | grep -q " 200 " && break
    [ -d "/proc/$app" ] || { cat "$RES/app-$name.log"; exit 1; }
    sleep 0.05
  done
  log "$name ($flags): ready; warming $WARM s"
  sleep "$WARM"
  scan_tid=$(grep -l '^wgmon-scan$' /proc/"$app"/task/*/comm | head -1 | cut -d/ -f5)
  load_before=$(loadavg); s0=$(scans); threads "$app" > "$RES/t0-$name"
  if [ "$PERF" = 1 ]; then
    perf record -q -g -t "$scan_tid" -o "$RES/perf-$name.data" -- sleep "$WINDOW" 2> /dev/null
  else
    sleep "$WINDOW"
  fi
  s1=$(scans); threads "$app" > "$RES/t1-$name"; load_after=$(loadavg)
  if [ "$PERF" = 1 ]; then
    jcmd "$app" Compiler.perfmap > /dev/null   # /tmp/perf-PID.map: the JIT's code, for perf report
    perf report -q --no-children -g none -i "$RES/perf-$name.data" --sort symbol --percent-limit 0.3 \
      > "$RES/perf-$name.self.txt" 2> /dev/null || true
    perf report -q --children -g none -i "$RES/perf-$name.data" --sort symbol --percent-limit 1 \
      > "$RES/perf-$name.children.txt" 2> /dev/null || true
  fi
  kill -TERM "$app"; wait "$app" 2>/dev/null || true
  [ "$CHANGED" = 0 ] || { kill "$changer_pid"; wait "$changer_pid" 2>/dev/null || true; }
  rm -rf "$RES/store-$name" "/tmp/perf-$app.map"
  dumps=$((s1 - s0))
  read -r scan_ms all_ms busiest < <(LC_ALL=C join "$RES/t0-$name" "$RES/t1-$name" | awk -v tid="$scan_tid" '
    { d = ($5 - $3) / 1e6; all += d; if ($1 == tid) scan = d; by[$2] += d }
    END {
      n = 0; for (k in by) names[++n] = k
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (by[names[j]] > by[names[i]]) { t = names[i]; names[i] = names[j]; names[j] = t }
      top = ""; for (i = 1; i <= n && i <= 5; i++) top = top (i > 1 ? ",_" : "") names[i] "_" sprintf("%.0f", by[names[i]])
      printf "%.1f %.1f %s\n", scan, all, top
    }')
  rows+=("| $name | ${flags:-–} | $dumps | $(awk -v a="$scan_ms" -v d="$dumps" 'BEGIN {printf "%.1f", d ? a / d : 0}') | $(awk -v a="$all_ms" -v d="$dumps" 'BEGIN {printf "%.1f", d ? a / d : 0}') | ${busiest//_/ } | $load_before → $load_after |")
  log "$name: $dumps dumps, wgmon-scan $scan_ms ms, all threads $all_ms ms in $WINDOW s"
done

echo "PEERS=$PEERS CHANGED=$CHANGED/s WARM=$WARM s WINDOW=$WINDOW s, LAUNCH=$LAUNCH (this tree: $(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(nproc) cores"
echo
echo "| variant | JAVA_OPTS_APPEND | dumps in the window | wgmon-scan CPU a dump, ms | all threads' CPU a dump, ms | busiest threads in the window, ms | load average before → after |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
[ "$PERF" = 1 ] && echo && echo "perf reports: $RES/perf-*.txt"
