#!/usr/bin/env bash
# Installs what wgmon's demo and live tests need on Debian/Ubuntu (run as root): WireGuard
# (wireguard-go, wg), nft, ip, ping, tcpdump, libpcap; for the container tests podman, catatonit (podman
# builds the pod's pause image from it: no registry to pull one from), setcap (libcap2-bin), runc and
# jq (the container tier's test-only runtime wrapper), mmdebstrap (its Debian base image), and node
# with npm (the Kubernetes schema check, scripts/k8s-schema/); prometheus (prometheus, promtool) and
# chromium for the operator tests (OperatorSurfacesIT, AlertRulesTest); for the chat-preset tests
# apprise (its requests are compared with wgmon's) and webhook (adnanh's webhook server, which checks
# X-Wgmon-Signature-256); docker-compose (its `config` validates compose.yaml, ComposeConfigIT); kmod
# (rmmod, for the kernel-client check) and curl; systemd (systemd-analyze checks deploy/wgmon.service,
# SystemdUnitTest) and util-linux (setpriv, LauncherTest); mosquitto and mosquitto-clients (the MQTT sink's
# live tests start a broker and read it with mosquitto_sub, MqttSinkIT) and openssl (their TLS material).
# The kernel tier installs qemu itself (scripts/kernel-vm/prepare.sh).
# Idempotent: packages already present are not fetched again.
set -euo pipefail

packages=(wireguard-go wireguard-tools nftables iproute2 iputils-ping tcpdump libpcap0.8 procps podman catatonit libcap2-bin
  runc jq mmdebstrap prometheus chromium apprise webhook docker-compose kmod curl systemd util-linux
  mosquitto mosquitto-clients openssl)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # --no-install-recommends: wireguard-tools would otherwise pull in a kernel image
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
