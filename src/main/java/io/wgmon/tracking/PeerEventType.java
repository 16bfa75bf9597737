package io.wgmon.tracking;

import java.util.Optional;

/** The kinds of event, by their wire name (docs/architecture.md#events). */
public enum PeerEventType {
    CONNECTED("peer.connected"),
    DISCONNECTED("peer.disconnected"),
    ROAMED("peer.roamed"),
    ENDPOINT_CONFLICT("peer.endpoint-conflict"),
    HANDSHAKE_FAILED("handshake.failed"),
    STALE("peer.stale"),
    DOWN("peer.down"),
    UP("peer.up"),
    FIRST_SEEN("peer.first-seen"),
    QUOTA("peer.quota");

    private final String wireName;

    PeerEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in payloads and the X-Wgmon-Event header. */
    public String wireName() {
        return wireName;
    }

    /** The type of a wire name, as written in {@code receivers.X.events}. */
    public static Optional<PeerEventType> ofWireName(String name) {
        for (PeerEventType type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
