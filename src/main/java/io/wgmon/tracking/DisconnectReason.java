package io.wgmon.tracking;

public enum DisconnectReason {
    IDLE("idle"),
    REMOVED("removed"),
    INTERFACE_DOWN("interface-down");

    private final String wireName;

    DisconnectReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
