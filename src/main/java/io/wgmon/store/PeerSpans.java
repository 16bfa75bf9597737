package io.wgmon.store;

/**
 * One peer's sessions in a window as numbers, for a timeline: {@code spans} holds start, end pairs of the
 * ended sessions in epoch milliseconds, oldest first; the open session, if any, is {@code openId} since
 * {@code openStart} (both null when none).
 */
public record PeerSpans(String interfaceName, String publicKey, long[] spans, String openId, Long openStart) {
}
