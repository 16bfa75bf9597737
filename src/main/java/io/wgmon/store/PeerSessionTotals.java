package io.wgmon.store;

/** One peer's kept sessions: how many, and the seconds of those that ended. */
public record PeerSessionTotals(String interfaceName, String publicKey, long sessions, long endedSeconds) {
}
