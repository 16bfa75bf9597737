package io.wgmon.tracking;

import io.wgmon.wireguard.Peer;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A connection event for one peer.
 *
 * @param id            delivery id; receivers de-duplicate on it
 * @param peer          the peer as last seen (for a disconnect: the last scan that showed it)
 * @param name          friendly name, null when none is configured
 * @param reason        set for {@link PeerEventType#DISCONNECTED} only
 * @param connectedFor  set for {@link PeerEventType#DISCONNECTED} only
 * @param sessionId     the session's id, shared by its connect, roamed and disconnect events; null for a
 *                      disconnect of a session wgmon did not report the start of
 * @param traffic       the session's bytes; set for {@link PeerEventType#DISCONNECTED} of a reported session
 */
public record PeerEvent(
        UUID id,
        PeerEventType type,
        Instant time,
        String host,
        PeerKey key,
        Peer peer,
        String name,
        DisconnectReason reason,
        Duration connectedFor,
        UUID sessionId,
        SessionTraffic traffic) {

    public String interfaceName() {
        return key.interfaceName();
    }
}
