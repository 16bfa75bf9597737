#!/usr/bin/env bash
# Measures what wgmon costs at rest and under traffic, on a throwaway wireguard-go link (as root):
#   1. idle, no peer connected        2. one peer connected (the idle tick is running)
#   3. 100 packets/s through the tunnel for the same time
# For each: CPU time of the wgmon process per second, context switches per second summed over its
# threads (how often it wakes up), resident memory, thread count, and scans taken.
# Usage: [WGMON_JAVA_OPTS=...] scripts/bench-idle.sh [SECONDS per phase, default 60].
# Record results in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench-idle.sh: run as root"; exit 1; }
SECONDS_PER_PHASE=${1:-60}
source scripts/lib/wglink.sh
trap wglink_cleanup EXIT
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -ntp package -DskipTests

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s}'; }
scans() {
  ip netns exec "$SRV" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9588 && printf "GET /q/metrics HTTP/1.0\r\n\r\n" >&3 && cat <&3' \
    | awk '/^wgmon_scans_seconds_count/ {print int($2)}'
}
measure() { # measure NAME
  local pid=$wgmon_pid hz cpu0 sw0 sc0 cpu1 sw1 sc1
  hz=$(getconf CLK_TCK)
  cpu0=$(cpu_ticks "$pid"); sw0=$(switches "$pid"); sc0=$(scans)
  sleep "$SECONDS_PER_PHASE"
  cpu1=$(cpu_ticks "$pid"); sw1=$(switches "$pid"); sc1=$(scans)
  awk -v name="$1" -v cpu=$((cpu1 - cpu0)) -v sw=$((sw1 - sw0)) -v hz="$hz" -v s="$SECONDS_PER_PHASE" \
      -v rss="$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")" \
      -v threads="$(ls "/proc/$pid/task" | wc -l)" -v scans=$((sc1 - sc0)) 'BEGIN {
    printf "%-26s cpu %6.2f ms/s   wakeups %7.1f /s   rss %4d MiB   threads %3d   scans %d\n",
      name, cpu * 1000 / hz / s, sw / s, rss, threads, scans }'
}

wglink_setup
wgmon_start WGMON_TRACKING_IDLE_TIMEOUT=600s WGMON_TRACKING_TICK=5s
echo "wgmon $(java -version 2>&1 | head -1), $(nproc) cores, $SECONDS_PER_PHASE s per phase; settling 15 s"
sleep 15
measure "idle, nothing connected"
ip netns exec "$CLI" ping -c 1 -W 2 10.10.10.1 >/dev/null
measure "one peer connected"
ip netns exec "$CLI" ping -q -i 0.01 -w "$SECONDS_PER_PHASE" 10.10.10.1 >/dev/null &
pinger=$!
measure "100 packets/s"
wait "$pinger" || true
