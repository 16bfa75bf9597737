#!/bin/sh
# Stage 2 of the kernel test tier's VM, PID 1 after the initramfs switch_root. It runs from the
# host root (9p, read-only), so every tool here is the host's own. It sets up a writable /run and
# /tmp, loads the kernel modules the tests need, runs the job that run.sh left in the 9p share
# "wgmonjob" and writes its output and exit code to the share "wgmonout" (run.sh's OUT_DIR, mounted
# at the same path as on the host), then powers the VM off whatever the job left running.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
vm=/run/kernel-vm
p9='trans=virtio,version=9p2000.L,msize=512000'
# The modules the tests use; anything else the kernel asks for is loaded on demand (see below).
modules='wireguard veth nf_tables nfnetlink_log nft_log'

say() { echo "kernel-vm: $*"; }

power_off() {
  sync
  echo o >/proc/sysrq-trigger
  sleep 10 2>/dev/null
  echo b >/proc/sysrq-trigger  # -no-reboot turns this into a qemu exit as well
  while :; do sleep 60; done
}

fail() {
  say "STAGE 2 FAILED: $*"
  power_off
}

mount_share() {  # tag, mount point, extra options
  mount -t 9p -o "$p9${3:+,$3}" "$1" "$2" || fail "cannot mount 9p share $1 on $2"
}

mount -t proc proc /proc || fail "mount /proc"
mount -t sysfs sysfs /sys || fail "mount /sys"
mount -t devtmpfs devtmpfs /dev || fail "mount /dev"
mkdir -p /dev/pts /dev/shm
# what udev would add: bash's <(...) needs /dev/fd
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
say "stage 2 at $(cut -d' ' -f1 /proc/uptime) s after boot"

mount -t tmpfs -o mode=755 tmpfs /run || fail "mount /run"
# /var/run is normally a link to /run; if it is a real folder it needs its own writable copy
if [ "$(readlink -f /var/run)" != /run ]; then
  mount --bind /run /var/run || fail "bind /var/run"
fi
# the checkout may lie under /tmp (a CI clone, say): keep it visible through the VM's own /tmp
project=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p /run/host-tmp && mount --bind /tmp /run/host-tmp || fail "bind the host's /tmp"
mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "mount /tmp"
case $project in
  /tmp/*) mkdir -p "$project" && mount --bind "/run/host-tmp/${project#/tmp/}" "$project" \
            || fail "bind the checkout $project" ;;
esac

mkdir -p $vm/job $vm/kernel /tmp/home
mount_share wgmonjob $vm/job ro
mount_share wgmonkernel $vm/kernel ro,cache=loose
read -r out_dir <$vm/job/out-dir || fail "no out-dir in the job share"
mkdir -p "$out_dir" 2>/dev/null  # exists already unless it lies under /run or /tmp
mount_share wgmonout "$out_dir"

# Without this the kernel's own module requests (nft expressions, link types, ...) would look
# in /lib/modules of the host, which holds the host's kernel, not this one.
cat >$vm/modprobe <<EOF
#!/bin/sh
echo "\$*" >>$vm/autoload.log
exec /sbin/modprobe -d $vm/kernel "\$@"
EOF
chmod 755 $vm/modprobe
echo $vm/modprobe >/proc/sys/kernel/modprobe
# shellcheck disable=SC2086
modprobe -d $vm/kernel -a $modules || fail "modprobe $modules"

ip link set lo up || fail "ip link set lo up"
hostname localhost  # resolvable through the host's /etc/hosts, for the JVM's getLocalHost()

say "running the job at $(cut -d' ' -f1 /proc/uptime) s"
env -i /bin/bash $vm/job/command </dev/null >"$out_dir/output.log" 2>&1
code=$?
echo "$code" >"$out_dir/exit-code.tmp" && mv "$out_dir/exit-code.tmp" "$out_dir/exit-code"
if [ -s $vm/autoload.log ]; then
  say "modules the kernel requested on demand: $(tr '\n' ' ' <$vm/autoload.log)"
fi
say "job exited with $code at $(cut -d' ' -f1 /proc/uptime) s, powering off"
power_off
