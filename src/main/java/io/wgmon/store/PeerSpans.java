package io.wgmon.store;

/**
 * One peer's sessions in a timeline's window, as the API sends them: {@code spans} its ended sessions (start, end
 * pairs in whole seconds after the window's from, oldest first); the open session, if any, is {@code openId} since
 * {@code openStart} seconds after from (both null when none).
 */
public record PeerSpans(String interfaceName, String publicKey, SpanSeconds spans, String openId, Long openStart) {
}
