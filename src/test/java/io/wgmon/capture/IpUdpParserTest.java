package io.wgmon.capture;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpUdpParserTest {
    private static final String IPV4_UDP_HEADERS = "45 00 00 00 12 34 40 00 40 11 00 00 c0 00 02 02 c0 00 02 01"
            + "d2 0c 0b b8 00 00 00 00";

    /** IPv4/UDP carrying {@code wireGuardHex}, the IP total length set to match. */
    private static ByteBuffer ipv4(String wireGuardHex) {
        byte[] packet = IpPackets.hex(IPV4_UDP_HEADERS + wireGuardHex);
        packet[3] = (byte) packet.length;
        return ByteBuffer.wrap(packet);
    }

    @Test
    void transportDataWithCounterZeroStartsASession() {
        UdpFlow flow = IpUdpParser.parse(ipv4("04 00 00 00 a1 b2 c3 d4 00 00 00 00 00 00 00 00 ff ff"));
        assertEquals(MessageType.TRANSPORT_DATA, flow.type());
        assertTrue(flow.sessionStart());
    }

    @Test
    void aCounterWithAnyByteSetIsOrdinaryData() {
        // little-endian on the wire: the low byte comes first, the high byte last
        assertFalse(IpUdpParser.parse(ipv4("04 00 00 00 a1 b2 c3 d4 01 00 00 00 00 00 00 00 ff ff")).sessionStart());
        assertFalse(IpUdpParser.parse(ipv4("04 00 00 00 a1 b2 c3 d4 00 00 00 00 00 00 00 80 ff ff")).sessionStart());
    }

    @Test
    void aCounterCutOffByTheCopyRangeIsOrdinaryData() {
        UdpFlow flow = IpUdpParser.parse(ipv4("04 00 00 00 a1 b2 c3 d4 00 00 00 00 00 00 00"));
        assertEquals(MessageType.TRANSPORT_DATA, flow.type());
        assertFalse(flow.sessionStart());
    }

    @Test
    void zerosAfterAHandshakeTypeAreNoSessionStart() {
        UdpFlow flow = IpUdpParser.parse(ipv4("01 00 00 00 a1 b2 c3 d4 00 00 00 00 00 00 00 00"));
        assertEquals(MessageType.HANDSHAKE_INITIATION, flow.type());
        assertFalse(flow.sessionStart());
    }
}
