package io.wgmon.tracking;

import io.wgmon.wireguard.Peer;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * An event about one peer, or (for {@link PeerEventType#HANDSHAKE_FAILED}) about a source address on an
 * interface: then {@code key} has no public key and {@code peer} and {@code name} are null.
 *
 * @param id            delivery id; receivers de-duplicate on it
 * @param key           the interface and the peer's public key (null for a source event)
 * @param peer          the peer as last seen (for a disconnect: the last scan that showed it); null for a source event
 * @param name          friendly name, null when none is configured
 * @param reason        set for {@link PeerEventType#DISCONNECTED} only
 * @param connectedFor  set for {@link PeerEventType#DISCONNECTED} only
 * @param detail        the facts of the kinds beyond connect and disconnect; null for those two
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
        EventDetail detail) {

    /** Orders one source's events in a receiver's queue; never shown (not a key). */
    private static final String SOURCE_LANE = "";

    /** An event about a source address on {@code interfaceName}, not about a configured peer. */
    public static PeerEvent aboutSource(UUID id, PeerEventType type, Instant time, String host, String interfaceName,
                                        EventDetail detail) {
        return new PeerEvent(id, type, time, host, new PeerKey(interfaceName, null), null, null, null, null, detail);
    }

    public String interfaceName() {
        return key.interfaceName();
    }

    /** Whether the event is about a configured peer (it has a public key and a peer). */
    public boolean aboutPeer() {
        return peer != null;
    }

    /** The peer's public key; null for a source event. */
    public String publicKey() {
        return key.publicKey();
    }

    /** The key a receiver's queue keeps this event's order by: the peer, or for a source event its interface. */
    public PeerKey laneKey() {
        return aboutPeer() ? key : new PeerKey(key.interfaceName(), SOURCE_LANE);
    }

    /** The event for logs: "peer.connected wg0:KEY endpoint 192.0.2.2:51820", "handshake.failed wg0 source ...". */
    public String describe() {
        if (!aboutPeer()) {
            return type.wireName() + " " + interfaceName() + (detail == null ? "" : " " + detail.fields());
        }
        return type.wireName() + " " + key + " endpoint " + peer.endpointText()
                + (reason == null ? "" : " reason " + reason.wireName())
                + (detail == null ? "" : " " + detail.fields());
    }
}
