package io.wgmon.store;

/**
 * One peer's sessions in a timeline's window, as the API sends them: {@code spans} is a JSON array of start, end
 * pairs of the ended sessions in whole seconds after the window's from (a start before it is negative), oldest
 * first; the open session, if any, is {@code openId} since {@code openStart} seconds after from (both null when
 * none).
 */
public record PeerSpans(String interfaceName, String publicKey, String spans, String openId, Long openStart) {
}
