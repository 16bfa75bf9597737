#!/usr/bin/env bash
# wgmon's benchmark, one command (as root): measures what wgmon costs at rest and per event next to
# the `wg show all dump` poller it replaces and a bare Quarkus app, and regenerates
# docs/benchmarks.md. Installs nothing but what scripts/install-deps.sh installs; builds the package
# if it is missing. Every figure is the median and the spread (min–max) over RUNS runs, each run a
# fresh pair of namespaces (wireguard-go on both sides, the NFLOG rule, a webhook receiver) and a
# fresh wgmon started by its launcher. Timing comes from the receiver and /proc, not from wgmon.
#
#   bench/run.sh [--quick] [--no-doc]
#
# Knobs (environment): RUNS (3; --quick 1), REST_SECONDS (at-rest window, 40; --quick 15),
# SCANS (scans per peer count before reading RSS, 10; --quick 5), CONNECTS (warm connects, 50),
# BARE_RUNS (2) and BARE_REST_SECONDS (30) for the bare Quarkus floor, BARE=0 (skip it), JMH=0
# (skip the JMH parsers), MVN_OFFLINE=1 (maven -o), LAUNCH (command that starts
# wgmon instead of target/quarkus-app/wgmon, e.g. "java -jar target/quarkus-app/quarkus-run.jar"),
# OUT (docs/benchmarks.md; the section bench/scale.sh writes there is kept). Default total: about 8
# minutes on 2 cores. bench/scale.sh is the scale bench (10,000 peers, traffic, floods, at rest).
# STORE=1: wgmon with a store (wgmon.store.dir in the run's scratch folder), as an operator who keeps
# events across restarts runs it.
# WARMUP (0): connects of other identities between the first connect and the warm ones, not measured:
# with WARMUP=200 the warm connects run on compiled code (C1 compiles the event path as it is used).
# ONLY=connects: each run only starts wgmon and takes the first and the warm connects (no at-rest window,
# no 1,000 / 10,000 peers, no bare app, no JMH, no doc), then prints the per-thread CPU of a warm connect;
# about a minute a run. PERF=1 (with ONLY=connects): `perf record -g` of the whole app over the warm
# connects, frame pointers kept in compiled code and the JIT's perf map written for it; prints where the
# event loop's and the scan thread's samples go (files kept in the results directory).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/run.sh: run as root (namespaces, NFLOG)"; exit 1; }

RUNS=${RUNS:-3} REST_SECONDS=${REST_SECONDS:-40} SCANS=${SCANS:-10} CONNECTS=${CONNECTS:-50} WARMUP=${WARMUP:-0}
BARE_RUNS=${BARE_RUNS:-2} BARE_REST_SECONDS=${BARE_REST_SECONDS:-30}
WRITE_DOC=1
for arg in "$@"; do
  case "$arg" in
    --quick) RUNS=1 BARE_RUNS=1 REST_SECONDS=15 BARE_REST_SECONDS=15 SCANS=5 ;;
    --no-doc) WRITE_DOC=0 ;;
    *) echo "usage: bench/run.sh [--quick] [--no-doc]"; exit 2 ;;
  esac
done
OUT=${OUT:-docs/benchmarks.md}
LAUNCH=${LAUNCH:-target/quarkus-app/wgmon}
[ "${PERF:-0}" = 1 ] && export JAVA_OPTS_APPEND="${JAVA_OPTS_APPEND:-} -XX:+PreserveFramePointer"
started_at=$(date +%s)

scripts/install-deps.sh
[ -x target/quarkus-app/wgmon ] || ./mvnw -B -q -ntp package -DskipTests

source scripts/lib/wglink.sh
RES=$(mktemp -d /tmp/wgmon-bench.XXXXXX)
TOOL=$RES/tool
bench_cleanup() { wglink_cleanup; rm -rf "$TOOL"; }
trap bench_cleanup EXIT
javac -d "$TOOL" bench/BenchTool.java
mkfifo "$RES/never"
exec 9<>"$RES/never"
nap() { read -r -t "$1" -u 9 || true; }   # sleep without forking
now_us() { local t=$EPOCHREALTIME; echo $((10#${t/./})); }
record() { printf '%s\t%s\n' "$1" "$2" >> "$RES/values.tsv"; }   # record METRIC VALUE
log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# --- /proc readings -----------------------------------------------------------------------------
rss_mib() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
hwm_mib() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
threads() { ls "/proc/$1/task" | wc -l; }
# cpu_between A B: CPU (ms) the app used between two thread snapshots: each thread of B less what it
# had in A (a thread started in between counts whole). A thread that ended in between takes its
# share with it: a plain sum of live threads would go down (Quarkus's worker thread ends 30 s after
# the last blocking request), so only differences per thread are added.
cpu_between() {
  awk 'NR == FNR {a[$1] = $4; next} {s += $4 - (($1 in a) ? a[$1] : 0)} END {printf "%.3f", s}' "$1" "$2"
}
thread_snapshot() { # TID NAME SWITCHES CPU_MS per live thread
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s %s %s\n' "${t##*/}" "$(tr ' ' '_' < "$t/comm")" \
      "$(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status")" \
      "$(awk '/^se.sum_exec_runtime/ {print $3}' "$t/sched")"
  done 2>/dev/null | LC_ALL=C sort
}
http_get() { # http_get PATH: body of a GET to wgmon's management port (health, metrics) in the server namespace
  ip netns exec "$SRV" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9588 && printf "GET %s HTTP/1.0\r\n\r\n" "$1" >&3 && cat <&3' _ "$1"
}
scans() { http_get /q/metrics | awk '/^wgmon_scans_seconds_count/ {c += $2} END {printf "%d", c}'; }
scan_seconds_sum() { http_get /q/metrics | awk '/^wgmon_scans_seconds_sum/ {s += $2} END {printf "%.6f", s + 0}'; }

# --- the bed ------------------------------------------------------------------------------------
bed_up() { # fresh namespaces, CONNECTS extra client identities known to the server, the receiver
  mkdir -p "$WORK"; pids=()
  wglink_setup
  local i conf="$WORK/warm.conf"
  : > "$conf"
  for i in $(seq "$CONNECTS"); do
    wg genkey > "$WORK/warm$i.key"; wg pubkey < "$WORK/warm$i.key" > "$WORK/warm$i.pub"
    printf '[Peer]\nPublicKey = %s\nAllowedIPs = 10.10.11.%d/32\n' "$(cat "$WORK/warm$i.pub")" "$i" >> "$conf"
  done
  for i in $(seq "$WARMUP"); do
    wg genkey > "$WORK/pre$i.key"; wg pubkey < "$WORK/pre$i.key" > "$WORK/pre$i.pub"
    printf '[Peer]\nPublicKey = %s\nAllowedIPs = 10.10.%d.%d/32\n' "$(cat "$WORK/pre$i.pub")" $((12 + i / 250)) $((1 + i % 250)) >> "$conf"
  done
  ip netns exec "$SRV" wg addconf "$WGS" "$conf"
  : > "$WORK/events"
  ip netns exec "$SRV" java -cp "$TOOL" BenchTool receiver 9999 "$WORK/events" > "$WORK/receiver.log" 2>&1 &
  pids+=($!)
  wait_for "$WORK/receiver.log" listening 30
  # a real receiver is a long-running server: warm this one's JVM so that its first request's
  # class loading is not counted as wgmon's delivery time (its lines have no event: "-")
  ip netns exec "$SRV" bash -c 'for _ in 1 2 3; do exec 3<>/dev/tcp/127.0.0.1/9999
    printf "POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}" >&3; cat <&3 > /dev/null; exec 3>&-; done'
}

# start_app COMMAND...: starts it in the server namespace; sets app_pid, start_ready_ms and
# start_nflog_ms (exec -> /q/health/ready 200, exec -> NFLOG group 1 bound, from
# /proc/PID/net/netfilter/nfnetlink_log), polled every 5 ms by one shell in the namespace
start_app() {
  local t0 out
  t0=$(now_us)
  ip netns exec "$SRV" env WGMON_NFLOG_GROUP=1 WGMON_WIREGUARD_INTERFACES="$WGS" \
    WGMON_WEBHOOK_URL=http://127.0.0.1:9999/ WGMON_TRACKING_IDLE_TIMEOUT=600s WGMON_TRACKING_TICK=1s \
    WGMON_METRICS_PER_PEER=false ${STORE:+WGMON_STORE_DIR=$WORK/store} \
    "$@" > "$WORK/app.log" 2>&1 &
  app_pid=$!; pids+=($app_pid)
  out=$(ip netns exec "$SRV" bash -c '
    pid=$1 t0=$2 nflog=0 ready=0; exec 9<>"$3"
    for _ in $(seq 12000); do
      if [ "$nflog" = 0 ] && [ -r /proc/$pid/net/netfilter/nfnetlink_log ]; then
        while read -r group _; do [ "$group" = 1 ] && nflog=${EPOCHREALTIME/./}; done < /proc/$pid/net/netfilter/nfnetlink_log
      fi
      if [ "$ready" = 0 ] && exec 3<>/dev/tcp/127.0.0.1/$5; then
        printf "GET /q/health/ready HTTP/1.0\r\n\r\n" >&3; read -r status <&3; exec 3>&-
        case "$status" in *" 200 "*) ready=${EPOCHREALTIME/./} ;; esac
      fi
      [ "$ready" != 0 ] && { [ "$nflog" != 0 ] || [ "$4" = no-nflog ]; } && break
      [ -d /proc/$pid ] || break
      read -r -t 0.005 -u 9 || true
    done
    echo "$(( (ready - t0) / 1000 )) $(( nflog == 0 ? -1 : (nflog - t0) / 1000 ))"' _ \
    "$app_pid" "$t0" "$RES/never" "${NFLOG_EXPECTED:-nflog}" "${HEALTH_PORT:-9588}" 2>/dev/null)
  read -r start_ready_ms start_nflog_ms <<< "$out"
  if [ "$start_ready_ms" -lt 0 ] || ! [ -d "/proc/$app_pid" ]; then
    echo "the app did not become ready:"; cat "$WORK/app.log"; exit 1
  fi
}

stop_app() { kill -TERM "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; }

# at_rest PREFIX SECONDS: CPU, wakeups, threads of the app over a quiet window, per thread too
at_rest() {
  local prefix=$1 seconds=$2
  thread_snapshot "$app_pid" > "$RES/a"
  sleep "$seconds"
  thread_snapshot "$app_pid" > "$RES/b"
  record "$prefix.rest_cpu_ms_per_min" "$(awk -v c="$(cpu_between "$RES/a" "$RES/b")" -v s="$seconds" 'BEGIN {printf "%.1f", c * 60 / s}')"
  # per thread name, over the threads of B (one started in the window counts whole, as above)
  LC_ALL=C join -a 2 -e 0 -o 0,2.2,1.3,1.4,2.3,2.4 "$RES/a" "$RES/b" | awk -v s="$seconds" -v p="$prefix" '
    { n[$2] += $5 - $3; c[$2]++ ; total += $5 - $3; t[$2] += $6 - $4 }
    END { printf "%s.rest_wakeups_per_s\t%.2f\n", p, total / s
          for (k in n) printf "%s.thread.%s\t%d %.2f %.2f\n", p, k, c[k], n[k] / s, t[k] * 60 / s }' >> "$RES/values.tsv"
  record "$prefix.threads" "$(threads "$app_pid")"
}

# poller SECONDS: the 5-second `wg show all dump` shell loop; CPU of its whole tree per minute
# (bash's `times`: the loop's shell and its reaped children, wg and sleep)
poller() {
  ip netns exec "$SRV" bash -c 'end=$((SECONDS + $1)); while ((SECONDS < end)); do wg show all dump > /dev/null; sleep 5; done; times' _ "$1" \
    | tr 'ms' '  ' | awk -v s="$1" '{t += $1 * 60 + $2 + $3 * 60 + $4} END {printf "%.1f\n", t * 1000 * 60 / s}'
}

# connect_once KEYFILE PUBKEY [PORT]: client takes that identity (and that listen port: a new endpoint,
# as a new client has, whose handshake the rules log; a known endpoint's are not), sends one packet;
# prints ping->webhook ms
connect_once() {
  local t0 arrived=""
  t0=$(ip netns exec "$CLI" bash -c 'wg set "$1" private-key "$2" ${3:+listen-port "$3"} && t=$EPOCHREALTIME && echo x > /dev/udp/10.10.10.1/9 && echo "${t/./}"' _ "$WGC" "$1" "${3:-}")
  for _ in $(seq 5000); do
    arrived=$(awk -v k="$2" '$2 == "peer.connected" && $3 == k {print $1; exit}' "$WORK/events")
    [ -n "$arrived" ] && break
    nap 0.002
  done
  [ -n "$arrived" ] || { echo "no peer.connected for $2"; tail "$WORK/app.log"; exit 1; }
  [ -z "${SENDS:-}" ] || echo "$t0 $arrived" >> "$SENDS"
  awk -v a="$arrived" -v t="$t0" 'BEGIN {printf "%.2f\n", (a - t) / 1000}'
}

# anatomy PCAP SENDS: splits each warm connect, from a capture in the server namespace, into the
# handshake (the client's send to the first data packet after the response, both WireGuards), wgmon
# (that data packet to the POST on the loopback wire: capture, scan, tracker, delivery) and the
# receiver (POST to the receiver's arrival stamp); prints one "handshake wgmon receiver" line each
anatomy() {
  tcpdump -nn -tt -r "$1" 2>/dev/null | awk -v sends="$2" '
    BEGIN { while ((getline line < sends) > 0) { split(line, f, " "); n++; s[n] = f[1] / 1e6; a[n] = f[2] / 1e6 } }
    / UDP, length / { p++; t[p] = $1; len = $NF
      k[p] = ($0 ~ /> 192\.0\.2\.1\.3000:/) ? (len == 148 ? "init" : "in") : (len == 92 ? "resp" : "out") }
    /\.9999: Flags \[P/ { p++; t[p] = $1; k[p] = "post" }
    END { j = 1
      for (i = 1; i <= n; i++) { init = resp = data = post = 0
        while (j <= p && t[j] < s[i]) j++
        for (q = j; q <= p && t[q] <= a[i] + 0.01; q++) {
          if (!init && k[q] == "init") init = t[q]
          else if (init && !resp && k[q] == "resp") resp = t[q]
          else if (resp && !data && k[q] == "in") data = t[q]
          else if (data && !post && k[q] == "post") post = t[q] }
        if (post) printf "%.3f %.3f %.3f\n", (data - s[i]) * 1000, (post - data) * 1000, (a[i] - post) * 1000 } }'
}

# wait_scans N: until the app took N more scans (idle ticks, 1 s apart while a peer is connected)
wait_scans() {
  local target=$(( $(scans) + $1 ))
  for _ in $(seq $(( $1 * 20 + 100 ))); do [ "$(scans)" -ge "$target" ] && return 0; sleep 0.5; done
  echo "scans did not advance"; exit 1
}

# perf_reports RUN: the event loop's and the scan thread's samples of the warm connects, self and with callees
perf_reports() {
  local comm
  jcmd "$app_pid" Compiler.perfmap > "$RES/perfmap.$1.log" 2>&1   # /tmp/perf-PID.map: the JIT's code, for perf report
  for comm in vert.x-eventloo wgmon-scan wgmon-nflog-rea wgmon-store; do
    perf report -q --no-children -g none --comms "$comm" --percentage relative -i "$RES/perf.$1.data" --sort symbol \
      --percent-limit 0.5 > "$RES/perf.$1.$comm.self.txt" 2> /dev/null || true
    perf report -q --children -g none --comms "$comm" --percentage relative -i "$RES/perf.$1.data" --sort symbol \
      --percent-limit 2 > "$RES/perf.$1.$comm.children.txt" 2> /dev/null || true
  done
  cp "/tmp/perf-$app_pid.map" "$RES/" 2> /dev/null || true
  rm -f "/tmp/perf-$app_pid.map"
}

add_peers() { # add_peers N SECOND_OCTET
  java -cp "$TOOL" BenchTool peers "$1" "$2" "$WORK/bulk.conf"
  ip netns exec "$SRV" wg addconf "$WGS" "$WORK/bulk.conf"
}

wgmon_run() { # one run: start, rest + poller, connects, 1,000 and 10,000 peers
  local run=$1 first lat i s0 sum0 w
  bed_up
  # shellcheck disable=SC2086 # LAUNCH is a command line
  start_app $LAUNCH
  record wgmon.exec_ready_ms "$start_ready_ms"; record wgmon.exec_nflog_ms "$start_nflog_ms"
  record wgmon.rss_ready_mib "$(rss_mib "$app_pid")"
  if [ "${ONLY:-}" = connects ]; then
    log "run $run: ready in $start_ready_ms ms (NFLOG bound at $start_nflog_ms ms); settling 10 s"
    sleep 10
  else
    log "run $run: ready in $start_ready_ms ms (NFLOG bound at $start_nflog_ms ms); settling 10 s, then $REST_SECONDS s at rest"
    sleep 10
    s0=$(scans)
    poller "$REST_SECONDS" > "$RES/poller" &
    local poller_pid=$!
    at_rest wgmon "$REST_SECONDS"
    wait "$poller_pid"; record poller.rest_cpu_ms_per_min "$(cat "$RES/poller")"
    record wgmon.rest_scans "$(( $(scans) - s0 ))"
  fi

  first=$(connect_once "$WORK/cli.key" "$(cat "$WORK/cli.pub")")
  record wgmon.first_connect_ms "$first"
  for i in $(seq "$WARMUP"); do
    connect_once "$WORK/pre$i.key" "$(cat "$WORK/pre$i.pub")" $((30000 + i)) > /dev/null
    nap 0.05
  done
  sleep 1
  ip netns exec "$SRV" tcpdump -i any -nn --immediate-mode -w "$RES/warm.$run.pcap" 'udp port 3000 or tcp port 9999' \
    2> /dev/null & local tcpdump_pid=$!; pids+=($tcpdump_pid)
  nap 1
  local perf_pid=""
  if [ "${PERF:-0}" = 1 ]; then
    perf record -q -g -p "$app_pid" -o "$RES/perf.$run.data" 2> /dev/null & perf_pid=$!
    nap 0.5
  fi
  thread_snapshot "$app_pid" > "$RES/a"
  : > "$RES/warm.$run"; : > "$RES/sends.$run"
  for i in $(seq "$CONNECTS"); do
    SENDS=$RES/sends.$run connect_once "$WORK/warm$i.key" "$(cat "$WORK/warm$i.pub")" $((40000 + i)) >> "$RES/warm.$run"
    nap 0.05
  done
  thread_snapshot "$app_pid" > "$RES/b"
  [ -z "$perf_pid" ] || { kill -INT "$perf_pid"; wait "$perf_pid" 2> /dev/null || true; perf_reports "$run"; }
  nap 0.5; kill "$tcpdump_pid" 2>/dev/null; wait "$tcpdump_pid" 2>/dev/null || true
  anatomy "$RES/warm.$run.pcap" "$RES/sends.$run" | sort -n | awk '{h[NR] = $1; w[NR] = $2; r[NR] = $3}
    function med(v, n,   i, j, x) { for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j > 0 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
      return v[int((n + 1) / 2)] }
    END { if (NR) printf "wgmon.warm_handshake_ms\t%.2f\nwgmon.warm_wgmon_ms\t%.2f\nwgmon.warm_receiver_ms\t%.2f\n", med(h, NR), med(w, NR), med(r, NR) }' \
    >> "$RES/values.tsv"
  LC_ALL=C join -a 2 -e 0 -o 0,2.2,1.4,2.4 "$RES/a" "$RES/b" | awk -v n="$CONNECTS" '{ t[$2] += $4 - $3 }
    END { for (k in t) printf "wgmon.connectthread.%s\t%.3f\n", k, t[k] / n }' >> "$RES/values.tsv"
  record wgmon.warm_cpu_ms_per_connect "$(awk -v c="$(cpu_between "$RES/a" "$RES/b")" -v n="$CONNECTS" 'BEGIN {printf "%.2f", c / n}')"
  sort -n "$RES/warm.$run" | awk '{v[NR] = $1} END {
    printf "wgmon.warm_connect_p50_ms\t%.2f\n", v[int((NR + 1) / 2)]
    printf "wgmon.warm_connect_p99_ms\t%.2f\n", v[int(NR * 0.99 + 0.999)] }' >> "$RES/values.tsv"
  log "run $run: first connect $first ms, $CONNECTS warm connects done"
  if [ "${ONLY:-}" = connects ]; then
    stop_app
    wglink_cleanup
    return 0
  fi

  add_peers 1000 20
  wait_scans "$SCANS"
  record wgmon.rss_1000_mib "$(rss_mib "$app_pid")"
  add_peers 9000 30
  wait_scans 2
  s0=$(scans); sum0=$(scan_seconds_sum); thread_snapshot "$app_pid" > "$RES/a"
  wait_scans "$SCANS"
  thread_snapshot "$app_pid" > "$RES/b"
  awk -v c="$(( $(scans) - s0 ))" -v s0="$sum0" -v s1="$(scan_seconds_sum)" -v cpu="$(cpu_between "$RES/a" "$RES/b")" 'BEGIN {
    printf "wgmon.scan_10000_ms\t%.2f\nwgmon.scan_10000_cpu_ms\t%.2f\n", (s1 - s0) * 1000 / c, cpu / c }' >> "$RES/values.tsv"
  record wgmon.rss_10000_mib "$(rss_mib "$app_pid")"
  record wgmon.hwm_10000_mib "$(hwm_mib "$app_pid")"
  w=$(ip netns exec "$SRV" bash -c 'for i in 1 2 3 4 5; do t=${EPOCHREALTIME/./}; wg show "$1" dump > /dev/null; echo $(( ${EPOCHREALTIME/./} - t )); done' _ "$WGS" \
      | sort -n | awk '{v[NR] = $1} END {printf "%.2f", v[3] / 1000}')
  record wg.show_dump_10000_ms "$w"
  # the daemon's own time to answer get=1 (no parse): the floor of any userspace scan
  record wg.uapi_read_10000_ms "$(ip netns exec "$SRV" java -cp "$TOOL" BenchTool uapi-read "/var/run/wireguard/$WGS.sock" 7)"
  log "run $run: 10,000 peers: rss $(rss_mib "$app_pid") MiB; wg show dump $w ms"
  stop_app
  wglink_cleanup
}

# --- the bare Quarkus floor: same extensions, same launcher and flags, one REST resource ---------
# (bench/lib/bare-quarkus.sh: built once and cached, shared with bench/history.sh)
source bench/lib/bare-quarkus.sh

bare_run() {
  mkdir -p "$WORK"; pids=()
  wglink_setup
  NFLOG_EXPECTED=no-nflog start_app "$BARE_APP/wgmon"
  record bare.exec_ready_ms "$start_ready_ms"
  record bare.rss_ready_mib "$(rss_mib "$app_pid")"
  sleep 10
  at_rest bare "$BARE_REST_SECONDS"
  stop_app
  wglink_cleanup
}

# --- JMH: the two WireGuard parsers at 10,000 peers, allocation per peer --------------------------
jmh_run() {
  log "JMH: UAPI and genl parse of 10,000 peers (-Pbench)"
  ./mvnw -B -q -ntp ${MVN_OFFLINE:+-o} -Pbench test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:exec \
    -Djmh.args="UapiParseBenchmark|GenlParseBenchmark -p peers=10000 -f 1 -wi 5 -i 5 -w 1s -r 1s -prof gc -rf csv -rff $RES/jmh.csv" \
    > "$RES/jmh.log" 2>&1 || { tail -30 "$RES/jmh.log"; echo "JMH failed"; return 0; }
  # rows: "pkg.Class.method",mode,threads,samples,score,error,unit,peers; secondary rows
  # "pkg.Class.method:gc.alloc.rate.norm" in B/op
  awk -F, 'NR > 1 {gsub(/"/, ""); split($1, key, ":"); n = split(key[1], part, "."); cls = part[n - 1]
    if (key[2] == "gc.alloc.rate.norm") printf "jmh.%s.bytes_per_peer\t%.0f\n", cls, $5 / 10000
    else if (key[2] == "") printf "jmh.%s.ms\t%.2f\n", cls, $5 / ($7 == "ms/op" ? 1 : $7 == "us/op" ? 1000 : 1000000) }' \
    "$RES/jmh.csv" >> "$RES/values.tsv"
}

# --- run it all ---------------------------------------------------------------------------------
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [[ $LAUNCH == *wgmon ]]; then
  # the launcher writes its class-data archive at the end of the first run; make it before measuring
  java_version=$("$LAUNCH" --print-command | awk '{print $1}' | xargs -I{} sh -c '{} -version 2>&1 | head -n 1')
  if ! ls "$(dirname "$LAUNCH")"/wgmon-*.jsa > /dev/null 2>&1; then
    bed_up; start_app $LAUNCH; record wgmon.exec_ready_no_archive_ms "$start_ready_ms"
    log "first start (no class-data archive yet): ready in $start_ready_ms ms; stopping it to write the archive"
    stop_app; wglink_cleanup
  fi
else
  java_version=$(java -version 2>&1 | head -n 1)
fi
for run in $(seq "$RUNS"); do wgmon_run "$run"; done
if [ "${ONLY:-}" = connects ]; then
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "load average before: $load_before, after: $load_after; results in $RES"
  awk -F'\t' '$1 ~ /^wgmon\.(first_connect|warm_)/ {print $1 "\t" $2}' "$RES/values.tsv"
  awk -F'\t' '$1 ~ /^wgmon\.connectthread\./ && $2 >= 0.005 {n = $1; sub(/^wgmon\.connectthread\./, "", n); print "cpu per warm connect, ms: " n "\t" $2}' \
    "$RES/values.tsv" | sort -t$'\t' -k2,2 -gr
  exit 0
fi
if [ "${BARE:-1}" != 0 ]; then
  bare_quarkus_build
  for run in $(seq "$BARE_RUNS"); do bare_run; done
fi
[ "${JMH:-1}" != 0 ] && jmh_run
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(( $(date +%s) - started_at ))
cp "$RES/values.tsv" "$RES/values.keep.tsv"

# median (min–max) of a metric over the runs
stat() {
  awk -F'\t' -v m="$1" '$1 == m {print $2}' "$RES/values.tsv" | sort -g | awk '{v[NR] = $1} END {
    if (NR == 0) { print "–"; exit }
    med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    if (NR == 1 || v[1] == v[NR]) printf "%g\n", med; else printf "%g (%g–%g)\n", med, v[1], v[NR] }'
}
before() { awk -F'\t' -v m="$1" '$1 == m {print $2; f = 1} END {if (!f) print "–"}' bench/before.tsv; }

summary() {
  cat <<EOF
| figure | target | before | now | \`wg show\` poller (5 s) | bare Quarkus |
|---|---|---|---|---|---|
| CPU at rest, ms/min | ≤ 10 | $(before rest_cpu) | $(stat wgmon.rest_cpu_ms_per_min) | $(stat poller.rest_cpu_ms_per_min) | $(stat bare.rest_cpu_ms_per_min) |
| wakeups at rest, /s (all threads) | ≤ 2 | $(before rest_wakeups) | $(stat wgmon.rest_wakeups_per_s) | | $(stat bare.rest_wakeups_per_s) |
| scans at rest | 0 | $(before rest_scans) | $(stat wgmon.rest_scans) | | |
| threads | ≤ 16 | $(before threads) | $(stat wgmon.threads) | | $(stat bare.threads) |
| RSS at ready, MiB | ≤ 64 | $(before rss_ready) | $(stat wgmon.rss_ready_mib) | | $(stat bare.rss_ready_mib) |
| RSS, 1,000 peers after $SCANS scans, MiB | | $(before rss_1000) | $(stat wgmon.rss_1000_mib) | | |
| RSS, 10,000 peers after $SCANS scans, MiB | ≤ 80 | $(before rss_10000) | $(stat wgmon.rss_10000_mib) | | |
| peak RSS (VmHWM), 10,000 peers, MiB | | $(before hwm_10000) | $(stat wgmon.hwm_10000_mib) | | |
| exec → ready, ms | ≤ 400 | $(before exec_ready) | $(stat wgmon.exec_ready_ms) | | $(stat bare.exec_ready_ms) |
| exec → NFLOG bound, ms | | $(before exec_nflog) | $(stat wgmon.exec_nflog_ms) | | |
| exec → ready without the class-data archive (first start), ms | | | $(stat wgmon.exec_ready_no_archive_ms) | | |
| first connect, ping → webhook, ms | ≤ 15 | $(before first_connect) | $(stat wgmon.first_connect_ms) | | |
| warm connect p50, ms ($CONNECTS connects) | ≤ 5 | $(before warm_p50) | $(stat wgmon.warm_connect_p50_ms) | | |
| warm connect p99, ms | ≤ 20 | $(before warm_p99) | $(stat wgmon.warm_connect_p99_ms) | | |
| of a warm connect (median): the handshake, send → first data packet at the server, ms | | | $(stat wgmon.warm_handshake_ms) | | |
| of a warm connect (median): wgmon, that data packet → its POST on the wire, ms | | | $(stat wgmon.warm_wgmon_ms) | | |
| of a warm connect (median): POST on the wire → the receiver's arrival stamp, ms | | | $(stat wgmon.warm_receiver_ms) | | |
| CPU per warm connect, ms | ≤ 3 | $(before warm_cpu) | $(stat wgmon.warm_cpu_ms_per_connect) | | |
| scan of 10,000 userspace peers, ms (wgmon's scan timer) | ≤ 0.5 × \`wg show\` | $(before scan_10000) | $(stat wgmon.scan_10000_ms) | | |
| CPU per scan of 10,000 peers, ms | | | $(stat wgmon.scan_10000_cpu_ms) | | |
| one \`wg show <if> dump\` process, 10,000 peers, ms | | $(before wg_show_10000) | $(stat wg.show_dump_10000_ms) | | |
| wireguard-go's own reply to \`get=1\`, 10,000 peers, read raw, ms (the floor of both) | | | $(stat wg.uapi_read_10000_ms) | | |
| JMH UAPI parse, 10,000 peers, ms | ≤ 5 | $(before jmh_uapi) | $(stat jmh.UapiParseBenchmark.ms) | | |
| JMH genl parse, 10,000 peers, ms | ≤ 5 | $(before jmh_genl) | $(stat jmh.GenlParseBenchmark.ms) | | |
| JMH UAPI parse, allocation per peer, bytes | | $(before jmh_uapi_alloc) | $(stat jmh.UapiParseBenchmark.bytes_per_peer) | | |
| JMH genl parse, allocation per peer, bytes | | $(before jmh_genl_alloc) | $(stat jmh.GenlParseBenchmark.bytes_per_peer) | | |
EOF
}

thread_table() {
  echo "| thread | count | wakeups/s | CPU, ms/min |"
  echo "|---|---|---|---|"
  # medians over the runs, each column on its own
  awk -F'\t' '$1 ~ /^wgmon\.thread\./ {n = $1; sub(/^wgmon\.thread\./, "", n); split($2, v, " "); print n "\t" v[1] "\t" v[2] "\t" v[3] + 0}' "$RES/values.tsv" \
    | awk -F'\t' '{name[$1] = 1; c[$1] = $2; w[$1] = w[$1] " " $3; u[$1] = u[$1] " " $4; k[$1]++}
      function median(list, n,   v, i, j, x) { n = split(substr(list, 2), v, " ")
        for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j > 0 && v[j] + 0 > x + 0; j--) v[j + 1] = v[j]; v[j + 1] = x }
        return v[int((n + 1) / 2)] }
      END {for (n in name) printf "%s\t%s\t%s\t%s\n", n, c[n], median(w[n]), median(u[n])}' \
    | sort -t$'\t' -k4,4gr -k3,3gr -k1,1 | awk -F'\t' '{printf "| %s | %s | %.2f | %.2f |\n", $1, $2, $3, $4}'
}

connect_thread_table() {
  echo "| thread | CPU per warm connect, ms (median over runs) |"
  echo "|---|---|"
  awk -F'\t' '$1 ~ /^wgmon\.connectthread\./ {n = $1; sub(/^wgmon\.connectthread\./, "", n); print n "\t" $2}' "$RES/values.tsv" \
    | sort -t$'\t' -k1,1 -k2,2g | awk -F'\t' '{v[$1] = v[$1] " " $2; k[$1]++}
      END {for (n in v) {split(substr(v[n], 2), x, " "); printf "%s\t%s\n", n, x[int((k[n] + 1) / 2)]}}' \
    | sort -t$'\t' -k2,2gr | awk -F'\t' '$2 >= 0.005 {printf "| %s | %.2f |\n", $1, $2}'
}

cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
machine="$cpu_model, $(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r), $java_version"
echo
echo "machine: $machine; load average before $load_before, after $load_after; $RUNS runs, $elapsed s"
summary
echo
thread_table
echo "raw values: $RES/values.keep.tsv"

[ "$WRITE_DOC" = 1 ] || exit 0
{
  cat <<EOF
# Benchmarks

What wgmon costs, measured by \`bench/run.sh\` (one command, as root; \`--quick\` for one short run).
This file is generated by it: edit \`bench/run.sh\` or \`bench/notes.md\`, not this file.

Machine: $machine. Date: $(date -u +%F). $RUNS runs, at-rest window $REST_SECONDS s, load average
$load_before before and $load_after after the run (the machine is shared: on a busy one CPU and
latency figures are high and wide). Launch: \`$LAUNCH\`. Each figure: median (min–max) over the runs.

## wgmon next to the poller it replaces and a bare Quarkus app

Each run is a fresh pair of network namespaces with wireguard-go on both sides, the NFLOG rule,
$((CONNECTS + 1)) client identities configured on the server, a webhook receiver, and a fresh wgmon
(idle-timeout 600 s, tick 1 s, \`wgmon.metrics.per-peer=false\`: the bench reads \`/q/metrics\` every half
second to count scans, and rendering 10,000 peers' series each time would be counted as scanning). *At rest*: no traffic and no peer connected, after 10 s of settling.
The poller is \`while :; do wg show all dump; sleep 5; done\` in the same namespace during the same
window, its CPU over its whole process tree (bash \`times\`). The bare Quarkus app has wgmon's
Quarkus extensions, application.properties, launcher and jvm.options, and one REST resource. The
*before* column is the code before this work, started as \`java -jar target/quarkus-app/quarkus-run.jar\`
(bench/before.tsv, measured once on the same machine under load).

$(summary)

How each figure is taken: CPU from \`se.sum_exec_runtime\` of every thread (\`/proc/PID/task/*/sched\`,
nanosecond precision, not clock ticks); wakeups are voluntary + involuntary context switches of
every thread; RSS is \`VmRSS\`; exec → ready is from the \`exec\` of the launcher to the first 200 of
\`/q/health/ready\`, exec → NFLOG bound to group 1 appearing in
\`/proc/PID/net/netfilter/nfnetlink_log\`, both polled every 5 ms; a connect is the client taking a
new identity (\`wg set private-key\`; each warm connect also a new listen port, so a new endpoint) and
sending one packet, timed from just before the send to the
receiver's arrival time of \`peer.connected\`; CPU per warm connect is wgmon's CPU over the
$CONNECTS connects (including the idle ticks in between) divided by $CONNECTS; the scan time is the
\`wgmon_scans_seconds\` timer over $SCANS scans of 10,000 peers, and one \`wg show\` is the wall time
of the process (median of 5). CPU over a window is the sum over threads of what each used in it
(a thread that ended in the window is left out, one that started counts whole). The split of a
warm connect comes from tcpdump in the server namespace during the connects: the client's
initiation, the server's response, the first data packet after it, and wgmon's POST on the loopback
wire.

## wgmon's threads at rest

$(thread_table)

## Where a warm connect's CPU goes

wgmon's CPU over the 50 warm connects (the idle ticks in between included), per thread, divided by
the number of connects; threads under 0.005 ms left out.

$(connect_thread_table)

EOF
  cat bench/notes.md
  # bench/scale.sh's section (between its markers) is kept as it was
  if [ -f "$OUT" ]; then
    awk '/^<!-- scale.sh begin/ {keep = 1} keep {print} /^<!-- scale.sh end/ {keep = 0}' "$OUT" | sed '1s/^/\n/'
  fi
} > "$RES/out.md"
cp "$RES/out.md" "$OUT"
echo "wrote $OUT"
