package io.wgmon.store;

import java.time.Instant;
import java.util.Optional;

/**
 * What the tracker knows of one peer, as kept in {@code peer_state} so a restart reports nothing twice
 * (docs/architecture.md §8). Not used by the tracker yet.
 */
public record PeerStateRow(String interfaceName, String publicKey, Optional<Instant> lastHandshake,
                           boolean connected, Optional<Instant> connectedSince, long rxBytes, long txBytes,
                           Optional<String> endpoint, Instant updatedAt) {
}
