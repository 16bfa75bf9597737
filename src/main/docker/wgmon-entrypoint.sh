#!/bin/sh
# wgmon's container entrypoint: runs the JVM as the image's non-root user holding the capabilities
# its monitor mode needs, CAP_NET_ADMIN (NFLOG, WireGuard netlink) and, with monitor=bpf, CAP_NET_RAW,
# through the launcher /deployments/wgmon (WGMON_LAUNCHER only for tests).
#
# A runtime grants capabilities to a non-root process only through the ambient set. Podman puts
# --cap-add there; Docker and Kubernetes do not: they only leave the capabilities in the bounding
# set. Then wgmon-setcaps (a copy of setpriv holding cap_net_admin,cap_net_raw as permitted file
# capabilities) raises the needed ones into the ambient set, which survives the exec of java.
# Nothing beyond the runtime's bounding set can be raised: the manifests decide what is granted.
set -euf

# bit numbers from linux/capability.h
bit_of() {
  case "$1" in
    net_admin) echo 12 ;;
    net_raw) echo 13 ;;
  esac
}

# holds SET CAP: whether the Cap<SET> mask of a process this shell starts (as java will be) has CAP
holds() {
  mask=$(sed -n "s/^Cap$1:[[:space:]]*//p" /proc/self/status)
  [ $(((0x$mask >> $(bit_of "$2")) & 1)) -eq 1 ]
}

case "${WGMON_MONITOR:-${monitor:-nflog}}" in
  [Bb][Pp][Ff]) wanted="net_admin net_raw" ;;
  *) wanted="net_admin" ;;
esac

raise=""
needs_raising=""
for cap in $wanted; do
  # one the runtime did not grant stays missing: wgmon names it in its start-up error
  holds Bnd "$cap" || continue
  raise="$raise,+$cap"
  holds Eff "$cap" || needs_raising="$needs_raising $cap"
done
raise=${raise#,}

# the package's launcher: it picks the JVM flags (/deployments/jvm.options, then JAVA_OPTS_APPEND)
# and execs java, which keeps the ambient capabilities raised here
set -- "${WGMON_LAUNCHER:-/deployments/wgmon}" "$@"

if [ -z "$needs_raising" ]; then
  exec "$@"
fi
if [ "$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' /proc/self/status)" = 1 ]; then
  echo "wgmon-entrypoint: no-new-privileges is set, so file capabilities cannot grant$needs_raising;" \
    "allow privilege escalation (Kubernetes: allowPrivilegeEscalation unset or true) or run as uid 0" >&2
  exec "$@"
fi
exec "$(dirname "$0")/wgmon-setcaps" --inh-caps "$raise" --ambient-caps "$raise" -- "$@"
