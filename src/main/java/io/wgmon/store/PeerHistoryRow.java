package io.wgmon.store;

import java.time.Instant;

/**
 * One row of {@code peer_history}: a key as long as wgmon has known it (docs/architecture.md#store).
 *
 * @param lastHandshake the latest handshake ever seen, null when none
 * @param staleReported when {@code peer.stale} was last sent for it, null when never
 */
public record PeerHistoryRow(String interfaceName, String publicKey, Instant firstSeen, Instant lastHandshake,
                             Instant staleReported) {
}
