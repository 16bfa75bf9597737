package io.wgmon.api;

import io.wgmon.tracking.PeerNames;
import io.wgmon.tracking.PeerState;

import java.time.Instant;
import java.util.List;

/** A tracked peer as GET /api/peers shows it. Keys are public keys only; name is null when none is configured. */
public record PeerView(
        String interfaceName,
        String publicKey,
        String name,
        String endpoint,
        List<String> allowedIps,
        Instant lastHandshake,
        long rxBytes,
        long txBytes,
        boolean connected,
        Instant connectedSince) {

    static PeerView of(PeerState state, PeerNames names) {
        var peer = state.last();
        return new PeerView(state.key().interfaceName(), peer.publicKey(), names.nameOf(state.key()), peer.endpointText(),
                peer.allowedIps(), peer.lastHandshake(), peer.rxBytes(), peer.txBytes(), state.connected(),
                state.connectedSince());
    }
}
