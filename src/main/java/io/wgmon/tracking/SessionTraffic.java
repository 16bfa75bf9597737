package io.wgmon.tracking;

/** The bytes a peer received and sent over one session (WireGuard's rx and tx growth). */
public record SessionTraffic(long rxBytes, long txBytes) {
}
