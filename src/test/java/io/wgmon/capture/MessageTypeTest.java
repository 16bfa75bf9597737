package io.wgmon.capture;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MessageTypeTest {
    @Test
    void mapsTheFourWireGuardTypesAndNothingElse() {
        assertEquals(MessageType.HANDSHAKE_INITIATION, MessageType.of(1));
        assertEquals(MessageType.HANDSHAKE_RESPONSE, MessageType.of(2));
        assertEquals(MessageType.COOKIE_REPLY, MessageType.of(3));
        assertEquals(MessageType.TRANSPORT_DATA, MessageType.of(4));
        assertEquals(MessageType.UNKNOWN, MessageType.of(0));
        assertEquals(MessageType.UNKNOWN, MessageType.of(5));
        assertEquals(MessageType.UNKNOWN, MessageType.of(-1));
    }
}
