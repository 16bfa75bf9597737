#!/usr/bin/env bash
# Reliability probe for the kernel tier, run INSIDE the VM by run.sh: starts the packaged wgmon
# (backend=kernel on a kernel wg0, NFLOG) COUNT times until /q/health/ready answers, then stops it,
# and counts the starts that died instead (a JVM crash leaves hs_err_*.log in $KERNEL_VM_OUT).
#   scripts/kernel-vm/run.sh -e JAVA_TOOL_OPTIONS='...' .cache/kernel-vm /tmp/out -- scripts/kernel-vm/jvm-loop.sh 10
# Prints one line per start and "JVM LOOP: n/COUNT failed"; exit code: the number of failures.
set -uo pipefail
count=${1:-10}
out=${KERNEL_VM_OUT:?run this through scripts/kernel-vm/run.sh}
jar=${WGMON_JAR:-$PWD/target/quarkus-app/quarkus-run.jar}
ip link add wg0 type wireguard && ip link set wg0 up
failed=0
for i in $(seq "$count"); do
  log=$out/wgmon-$i.log
  start=$(date +%s.%N)
  WGMON_WIREGUARD_BACKEND=kernel WGMON_WIREGUARD_INTERFACES=wg0 WGMON_NFLOG_GROUP=77 \
    WGMON_WEBHOOK_URL=http://127.0.0.1:9/hook QUARKUS_HTTP_PORT=18080 \
    java -Xmx128m "-XX:ErrorFile=$out/hs_err_%p.log" -jar "$jar" >"$log" 2>&1 &
  pid=$!
  result=timeout
  for _ in $(seq 1200); do
    if ! kill -0 $pid 2>/dev/null; then wait $pid; result="died:$?"; break; fi
    if curl -fs -o /dev/null http://127.0.0.1:18080/q/health/ready; then result=ready; break; fi
    sleep 0.2
  done
  took=$(echo "$(date +%s.%N) - $start" | bc)
  kill $pid 2>/dev/null; wait $pid 2>/dev/null
  [ "$result" = ready ] || { failed=$((failed + 1)); tail -n 5 "$log"; }
  echo "start $i: $result after ${took} s"
done
echo "JVM LOOP: $failed/$count failed"
exit "$failed"
