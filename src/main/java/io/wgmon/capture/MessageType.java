package io.wgmon.capture;

/** WireGuard message type: the first byte after the UDP header. */
public enum MessageType {
    HANDSHAKE_INITIATION,
    HANDSHAKE_RESPONSE,
    COOKIE_REPLY,
    TRANSPORT_DATA,
    /** Payload too short to tell, or not a WireGuard message. */
    UNKNOWN;

    public static MessageType of(int firstByte) {
        return switch (firstByte) {
            case 1 -> HANDSHAKE_INITIATION;
            case 2 -> HANDSHAKE_RESPONSE;
            case 3 -> COOKIE_REPLY;
            case 4 -> TRANSPORT_DATA;
            default -> UNKNOWN;
        };
    }
}
