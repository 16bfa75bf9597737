package io.wgmon.tracking;

public enum PeerEventType {
    CONNECTED("peer.connected"),
    DISCONNECTED("peer.disconnected"),
    ROAMED("peer.roamed");

    private final String wireName;

    PeerEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in payloads and the X-Wgmon-Event header. */
    public String wireName() {
        return wireName;
    }
}
