package io.wgmon.store;

import java.time.Instant;
import java.util.Optional;

/**
 * What the tracker knows of one peer, as kept in {@code peer_state} so a restart reports nothing twice and
 * reports what changed while wgmon was down (docs/architecture.md#tracking, docs/architecture.md#store).
 *
 * @param connected    the tracker counts the peer connected
 * @param updatedAt    when the row was written
 * @param reported     its {@code peer.connected} was sent (only then is its disconnect sent)
 * @param lastActivity when a new handshake or rx growth was last seen; with unchanged counters after a
 *                     restart, the peer has been idle since then
 * @param session      the reported session under way: its id and the counters at its start
 */
public record PeerStateRow(String interfaceName, String publicKey, Optional<Instant> lastHandshake,
                           boolean connected, Optional<Instant> connectedSince, long rxBytes, long txBytes,
                           Optional<String> endpoint, Instant updatedAt, boolean reported,
                           Optional<Instant> lastActivity, Optional<SessionStart> session) {

    /** A session's id and the peer's counters when it began. */
    public record SessionStart(java.util.UUID id, long rxBytes, long txBytes) {
    }
}
