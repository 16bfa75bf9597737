#!/usr/bin/env bash
# Runs one command as root inside a throwaway qemu VM (software emulation) booted on the Debian
# kernel that prepare.sh unpacked, so the command sees the real WireGuard kernel module. The VM
# sees the host root read-only (the host's own java, wg, nft, ip), a writable /run and /tmp of its
# own, and OUT_DIR at the same path as on the host, writable.
#
# usage: scripts/kernel-vm/run.sh [-e NAME=VALUE]... CACHE_DIR OUT_DIR -- COMMAND [ARG]...
#   -e NAME=VALUE  extra environment for COMMAND (it gets the caller's PATH and JAVA_HOME,
#                  HOME=/tmp/home and KERNEL_VM_OUT=OUT_DIR)
#   KERNEL_VM_TIMEOUT  seconds before qemu is killed (default 900)
#   KERNEL_VM_JAVA_OPTIONS  JAVA_TOOL_OPTIONS for every JVM in the VM (default below)
#   KERNEL_VM_ACCEL, KERNEL_VM_CPU, KERNEL_VM_SMP, KERNEL_VM_ROOT_CACHE  qemu -accel, -cpu, -smp
#                  and the 9p cache mode of the host root, for reliability experiments only
#                  (README.md, "Reliability under TCG")
# Leaves OUT_DIR/output.log (COMMAND's stdout and stderr), OUT_DIR/exit-code and
# OUT_DIR/console.log (the VM's serial console). Exits with COMMAND's exit code, 124 when the VM
# timed out, 125 when the VM ended without running COMMAND to the end.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
timeout_s=${KERNEL_VM_TIMEOUT:-900}
log() { echo "kernel-vm/run: $*" >&2; }
usage() { log "usage: $0 [-e NAME=VALUE]... CACHE_DIR OUT_DIR -- COMMAND [ARG]..."; exit 2; }

extra_env=()
while [ $# -gt 0 ] && [ "$1" = -e ]; do
  [ $# -ge 2 ] && [[ $2 == [A-Za-z_]*=* ]] || usage
  extra_env+=("$2"); shift 2
done
[ $# -ge 4 ] && [ "$3" = -- ] || usage
cache=$(cd "$1" && pwd) || usage
mkdir -p "$2"
out=$(cd "$2" && pwd)
shift 3

version=$(cat "$cache/kernel-version" 2>/dev/null) || { log "no kernel in $cache: run prepare.sh first"; exit 2; }
kernel=$cache/kernel
vmlinuz=$kernel/boot/vmlinuz-$version
[ -f "$vmlinuz" ] && [ -f "$cache/initramfs.gz" ] || { log "$cache is incomplete: run prepare.sh"; exit 2; }
stage2=$here/stage2.sh
case $stage2 in
  *[[:space:]]*) log "the checkout path must not contain spaces (it goes on the kernel command line): $stage2"; exit 2 ;;
  /run/*) log "the checkout must not lie under /run: the VM mounts its own there"; exit 2 ;;
esac
case $out in
  *,*) log "OUT_DIR must not contain a comma (qemu option syntax): $out"; exit 2 ;;
esac

java_home=${JAVA_HOME:-}
if [ -z "$java_home" ] && command -v java >/dev/null; then
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi

job=$(mktemp -d /tmp/kernel-vm-job.XXXXXX)
qemu_pid=
cleanup() {
  if [ -n "$qemu_pid" ]; then kill "$qemu_pid" 2>/dev/null || true; fi
  rm -rf "$job"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "$out" >"$job/out-dir"
{
  echo "# written by run.sh"
  printf 'export PATH=%q\n' "$PATH:/usr/sbin:/sbin"
  [ -n "$java_home" ] && printf 'export JAVA_HOME=%q\n' "$java_home"
  printf 'export HOME=/tmp/home LANG=%q KERNEL_VM_OUT=%q\n' "${LANG:-C.UTF-8}" "$out"
  # Every JVM in the VM (the test harness and the wgmon it starts) writes its crash report
  # into OUT_DIR, where the host can read it. C1 only: under emulation C2's compilations cost
  # more CPU than they save in a run of a few minutes.
  printf 'export JAVA_TOOL_OPTIONS=%q\n' \
    "${KERNEL_VM_JAVA_OPTIONS:--XX:TieredStopAtLevel=1 -XX:ErrorFile=$out/hs_err_pid%p.log}"
  for kv in "${extra_env[@]}"; do printf 'export %s=%q\n' "${kv%%=*}" "${kv#*=}"; done
  printf 'cd %q 2>/dev/null || cd /\n' "$PWD"
  printf 'exec'; printf ' %q' "$@"; printf '\n'
} >"$job/command"
rm -f "$out/output.log" "$out/exit-code" "$out/console.log" "$out"/hs_err_pid*.log
: >"$out/output.log"

share() {  # host path, tag, extra options
  echo "local,path=$1,mount_tag=$2,security_model=passthrough,multidevs=remap${3:+,$3}"
}
log "booting kernel $version (timeout ${timeout_s}s): $*"
started=$(date +%s)
# thread=single: one host thread runs both vCPUs in turn. With multi-threaded TCG (the default)
# the JVM died in JIT-compiled code now and then on a loaded host (SIGILL, SIGSEGV): HotSpot
# patches compiled code while other threads run it, and MTTCG can keep executing a stale
# translation of those bytes (README.md, "Reliability under TCG"). Nehalem, not max: fewer
# emulated features for the JVM to pick up; it needs only SSE2, the kernel x86-64.
qemu-system-x86_64 -accel "${KERNEL_VM_ACCEL:-tcg,thread=single}" -cpu "${KERNEL_VM_CPU:-Nehalem}" -m 2048 \
  -smp "${KERNEL_VM_SMP:-2}" -nographic -no-reboot -nic none \
  -kernel "$vmlinuz" -initrd "$cache/initramfs.gz" \
  -append "console=ttyS0 quiet panic=-1 wgmon.stage2=$stage2 wgmon.rootcache=${KERNEL_VM_ROOT_CACHE:-loose}" \
  -virtfs "$(share / hostroot readonly=on)" \
  -virtfs "$(share "$kernel" wgmonkernel readonly=on)" \
  -virtfs "$(share "$job" wgmonjob readonly=on)" \
  -virtfs "$(share "$out" wgmonout)" \
  </dev/null >"$out/console.log" 2>&1 &
qemu_pid=$!

# Stream the command's output while the VM runs; kill qemu when time is up.
tail -n +1 -f "$out/output.log" --pid="$qemu_pid" &
tail_pid=$!
timed_out=false
while kill -0 "$qemu_pid" 2>/dev/null; do
  if [ $(($(date +%s) - started)) -ge "$timeout_s" ]; then
    timed_out=true
    log "timed out after ${timeout_s}s, killing qemu"
    kill "$qemu_pid"; sleep 2; kill -9 "$qemu_pid" 2>/dev/null || true
    break
  fi
  sleep 1
done
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=
wait "$tail_pid" 2>/dev/null || true
elapsed=$(($(date +%s) - started))

if $timed_out; then
  code=124
elif [ -f "$out/exit-code" ]; then
  code=$(cat "$out/exit-code")
else
  log "the VM ended without the command's exit code"
  code=125
fi
log "exit $code after ${elapsed}s (boot to power-off)"
for report in "$out"/hs_err_pid*.log; do
  if [ -f "$report" ]; then log "a JVM in the VM crashed: $report"; fi
done
if [ "$code" != 0 ]; then
  log "---- last 60 lines of the VM console ($out/console.log) ----"
  tail -n 60 "$out/console.log" >&2
  log "----"
fi
exit "$code"
