#!/usr/bin/env bash
# wgmon at rest with the MQTT sink on, beside the same wgmon with webhooks only (docs/benchmarks.md,
# "At rest with MQTT"). As root: a fresh network namespace with one wireguard-go interface and a
# plain mosquitto on loopback; the packaged wgmon (target/quarkus-app/wgmon) started twice, each time
# left alone for REST_SECONDS after a settling pause, its CPU (per thread, from /proc/PID/task/*/sched)
# and wakeups (voluntary + involuntary context switches of all threads) read before and after. Not
# part of `verify`. Prints a Markdown table.
#
# The settling pause outlasts the no-packet probe, which scans every wgmon.tracking.tick for the first 10
# minutes after start (README, "The firewall rule"); a shorter one measures the probe, not the rest.
#
#   bench/mqtt-idle.sh        knobs: REST_SECONDS (60), SETTLE_SECONDS (620), RUNS (2)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/mqtt-idle.sh: run as root (namespaces, NFLOG)"; exit 1; }
REST_SECONDS=${REST_SECONDS:-60} SETTLE_SECONDS=${SETTLE_SECONDS:-620} RUNS=${RUNS:-2}
[ -x target/quarkus-app/wgmon ] || ./mvnw -B -q -ntp package -DskipTests
command -v mosquitto > /dev/null || { echo "mosquitto missing: scripts/install-deps.sh"; exit 1; }

NS=wgm-mqtt-idle-$$ WG=wgmi$$ WORK=$(mktemp -d /tmp/wgmon-mqtt-idle.XXXXXX)
app_pid="" broker_pid="" wg_pid=""
cleanup() {
  for p in $app_pid $broker_pid $wg_pid; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" env WG_PROCESS_FOREGROUND=1 wireguard-go "$WG" > "$WORK/wg.log" 2>&1 & wg_pid=$!
for _ in $(seq 50); do ip -n "$NS" link show "$WG" > /dev/null 2>&1 && break; sleep 0.1; done
(umask 077; wg genkey > "$WORK/key")
ip netns exec "$NS" wg set "$WG" listen-port 3999 private-key "$WORK/key"
ip -n "$NS" link set "$WG" up
printf 'listener 1883 127.0.0.1\nallow_anonymous true\npersistence false\n' > "$WORK/mosquitto.conf"
ip netns exec "$NS" mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 & broker_pid=$!

cpu_ms() { # CPU of all threads, ms (scheduler's nanosecond sums)
  awk '/^se.sum_exec_runtime/ {s += $3} END {printf "%.1f", s}' /proc/"$1"/task/*/sched 2>/dev/null
}
switches() { awk '/ctxt_switches/ {s += $2} END {print s}' /proc/"$1"/task/*/status 2>/dev/null; }
per_thread() { # NAME SWITCHES per live thread
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s %s\n' "${t##*/}" "$(tr ' ' '_' < "$t/comm")" "$(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status")"
  done 2>/dev/null | LC_ALL=C sort
}

# at_rest LABEL ENV...: one run; prints "LABEL cpu_ms_per_min wakeups_per_s threads"
at_rest() {
  local label=$1; shift
  ip netns exec "$NS" env WGMON_NFLOG_GROUP=7 WGMON_WIREGUARD_INTERFACES="$WG" \
    WGMON_WEBHOOK_URL=http://127.0.0.1:9/ "$@" target/quarkus-app/wgmon > "$WORK/app.log" 2>&1 & app_pid=$!
  for _ in $(seq 300); do
    ip netns exec "$NS" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9588' 2> /dev/null && break; sleep 0.2
  done
  sleep "$SETTLE_SECONDS"
  local c0 s0 c1 s1
  c0=$(cpu_ms "$app_pid") s0=$(switches "$app_pid")
  per_thread "$app_pid" > "$WORK/threads.a"
  sleep "$REST_SECONDS"
  c1=$(cpu_ms "$app_pid") s1=$(switches "$app_pid")
  per_thread "$app_pid" > "$WORK/threads.b"
  # the threads that woke up, on stderr: "label: thread switches ..."
  LC_ALL=C join "$WORK/threads.a" "$WORK/threads.b" | awk -v l="$label" '$5 > $3 {w = w " " $2 "=" $5 - $3} END {print l ":" w > "/dev/stderr"}'
  awk -v l="$label" -v c0="$c0" -v c1="$c1" -v s0="$s0" -v s1="$s1" -v t="$REST_SECONDS" -v n="$(ls /proc/"$app_pid"/task | wc -l)" \
    'BEGIN {printf "%s %.1f %.2f %d\n", l, (c1 - c0) * 60 / t, (s1 - s0) / t, n}'
  kill -TERM "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
}

echo "| run | wgmon | CPU at rest, ms/min | wakeups/s (all threads) | threads |"
echo "|---|---|---|---|---|"
for run in $(seq "$RUNS"); do
  for mode in webhook mqtt; do
    if [ "$mode" = webhook ]; then
      line=$(at_rest "webhooks only")
    else
      line=$(at_rest "webhooks + MQTT (keepalive 300 s)" WGMON_MQTT_HOST=127.0.0.1 WGMON_MQTT_PORT=1883)
      grep -q 'mqtt: connected' "$WORK/app.log" || { echo "wgmon did not connect to mosquitto:"; cat "$WORK/app.log"; exit 1; }
    fi
    echo "$line" | awk -v r="$run" '{n = NF; printf "| %s | %s", r, $1; for (i = 2; i <= n - 3; i++) printf " %s", $i; printf " | %s | %s | %s |\n", $(n-2), $(n-1), $n}'
  done
done
