#!/usr/bin/env bash
# Prepares the kernel test tier's VM: qemu and busybox-static from apt, the Debian kernel
# (standard flavour, it has WireGuard and 9p) unpacked into CACHE_DIR/kernel, and
# CACHE_DIR/initramfs.gz, whose /init mounts the host root over 9p and hands over to stage2.sh.
# Idempotent: with the cache filled, a second run downloads and rebuilds nothing.
#
# usage: scripts/kernel-vm/prepare.sh [CACHE_DIR]   (default: <repo>/.cache/kernel-vm)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${1:-$repo/.cache/kernel-vm}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
kernel_dir=$cache/kernel
log() { echo "kernel-vm/prepare: $*" >&2; }

[ "$(id -u)" = 0 ] || { log "must run as root (apt-get, and the VM shares the host root)"; exit 1; }

install_packages() {
  local wanted=(qemu-system-x86 busybox-static kmod) missing=() p
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

kernel_version() {
  # the one folder under lib/modules, empty when the kernel is not unpacked yet
  ls "$kernel_dir/lib/modules" 2>/dev/null | head -n 1
}

kernel_ready() {
  local v; v=$(kernel_version)
  [ -n "$v" ] && [ -f "$kernel_dir/boot/vmlinuz-$v" ] && [ -s "$kernel_dir/lib/modules/$v/modules.dep" ]
}

kernel_package() {
  # standard flavour only: the cloud flavour has no 9p, rt is needlessly different
  apt-cache depends linux-image-amd64 2>/dev/null | awk '
    $1 ~ /Depends:$/ && $2 ~ /^linux-image-[0-9][^ ]*-amd64$/ && $2 !~ /-(cloud|rt)-amd64$/ { print $2; exit }'
}

fetch_kernel() {
  local pkg download
  pkg=$(kernel_package)
  if [ -z "$pkg" ]; then
    log "no kernel package known to apt-cache, running apt-get update"
    apt-get update -qq
    pkg=$(kernel_package)
  fi
  [ -n "$pkg" ] || { log "cannot find the Debian kernel package behind linux-image-amd64"; exit 1; }
  download=$cache/download
  rm -rf "$download" "$kernel_dir"
  mkdir -p "$download"
  log "downloading $pkg"
  # a stale package list gives a 404: refresh once and retry
  if ! (cd "$download" && apt-get download -qq -o APT::Sandbox::User=root "$pkg"); then
    apt-get update -qq
    (cd "$download" && apt-get download -qq -o APT::Sandbox::User=root "$pkg")
  fi
  dpkg -x "$download"/"$pkg"_*.deb "$kernel_dir"
  rm -rf "$download"
  local v; v=$(kernel_version)
  depmod -b "$kernel_dir" "$v"  # the .deb ships no modules.dep
  kernel_ready || { log "unpacked $pkg but found no kernel image or modules in it"; exit 1; }
}

# Modules the initramfs must load to mount a 9p share over virtio, in dependency order.
initramfs_modules() {
  local v=$1
  modprobe -d "$kernel_dir" -S "$v" --show-depends -a virtio_pci 9pnet_virtio 9p \
    | awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

write_init() {
  cat >"$1" <<'EOF'
#!/bin/busybox sh
# Stage 1: load the 9p modules, mount the host root read-only, switch_root into stage2.sh.
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sys /sys
$bb mount -t devtmpfs dev /dev
fail() {
  echo "kernel-vm init: $*" >/dev/console
  echo o >/proc/sysrq-trigger
  while :; do $bb sleep 60; done
}
stage2=
rootcache=loose
for word in $($bb cat /proc/cmdline); do
  case $word in
    wgmon.stage2=*) stage2=${word#wgmon.stage2=} ;;
    wgmon.rootcache=*) rootcache=${word#wgmon.rootcache=} ;;
  esac
done
[ -n "$stage2" ] || fail "no wgmon.stage2=PATH on the kernel command line"
for m in $($bb cat /modules.order); do
  $bb insmod "/modules/$m" || fail "insmod $m failed"
done
$bb mkdir -p /newroot
$bb mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=$rootcache hostroot /newroot \
  || fail "cannot mount the host root (9p tag hostroot)"
[ -x "/newroot$stage2" ] || fail "stage 2 script $stage2 not found or not executable on the host root"
$bb umount /proc /sys /dev
exec $bb switch_root /newroot "$stage2"
EOF
  chmod 755 "$1"
}

build_initramfs() {
  local v=$1 busybox m name
  busybox=$(dpkg -L busybox-static | grep -m1 '/bin/busybox$')
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work"/{bin,dev,proc,sys,modules}
  cp "$busybox" "$work/bin/busybox"
  : >"$work/modules.order"
  for m in $(initramfs_modules "$v"); do
    name=$(basename "$m"); name=${name%.ko*}.ko
    # busybox insmod wants plain .ko files; newer Debian kernels compress them
    case $m in
      *.ko.xz) xz -dc "$m" >"$work/modules/$name" ;;
      *.ko.zst) zstd -qdc "$m" >"$work/modules/$name" ;;
      *.ko.gz) gzip -dc "$m" >"$work/modules/$name" ;;
      *) cp "$m" "$work/modules/$name" ;;
    esac
    echo "$name" >>"$work/modules.order"
  done
  [ -s "$work/modules.order" ] || log "note: virtio and 9p are all built into kernel $v"
  write_init "$work/init"
  (cd "$work" && find . | "$work/bin/busybox" cpio -o -H newc 2>/dev/null) | gzip -9 >"$cache/initramfs.gz.new"
  mv "$cache/initramfs.gz.new" "$cache/initramfs.gz"
  log "initramfs for $v: $(tr '\n' ' ' <"$work/modules.order")"
}

install_packages
if kernel_ready; then
  log "kernel $(kernel_version) already in $kernel_dir"
else
  fetch_kernel
fi
version=$(kernel_version)

# The initramfs depends on this script (its /init) and the kernel version: rebuilt when either
# changes, which costs no download.
stamp="$version $(sha256sum "$here/prepare.sh" | cut -d' ' -f1)"
if [ -f "$cache/initramfs.gz" ] && [ "$(cat "$cache/initramfs.stamp" 2>/dev/null)" = "$stamp" ]; then
  log "initramfs up to date"
else
  build_initramfs "$version"
  echo "$stamp" >"$cache/initramfs.stamp"
fi
echo "$version" >"$cache/kernel-version"
