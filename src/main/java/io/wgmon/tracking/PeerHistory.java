package io.wgmon.tracking;

import java.time.Instant;

/**
 * What wgmon remembers of a key for as long as it knows it, across restarts (docs/architecture.md#store).
 *
 * @param firstSeen     when wgmon first saw the key configured
 * @param lastHandshake the latest handshake ever seen, null when none
 * @param staleReported when {@code peer.stale} was last sent, null when never
 */
public record PeerHistory(PeerKey key, Instant firstSeen, Instant lastHandshake, Instant staleReported) {
}
