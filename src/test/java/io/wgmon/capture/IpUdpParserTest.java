package io.wgmon.capture;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    private static String initiationHex(int length) {
        StringBuilder hex = new StringBuilder("01 00 00 00");
        for (int i = 4; i < length; i++) {
            hex.append(String.format(" %02x", i));
        }
        return hex.toString();
    }

    @Test
    void aWholeInitiationCarriesTheBytesItsMac1CoversAndTheMac1() {
        UdpFlow flow = IpUdpParser.parse(ipv4(initiationHex(148)));
        assertEquals(MessageType.HANDSHAKE_INITIATION, flow.type());
        byte[] copy = flow.initiation().bytes();
        assertEquals(132, copy.length);
        assertEquals(1, copy[0]);
        assertEquals(115, copy[115], "the last byte mac1 covers");
        assertEquals((byte) 131, copy[131], "the last byte of mac1");
    }

    @Test
    void anInitiationOfAnotherLengthOrCutOffCarriesNothing() {
        assertNull(IpUdpParser.parse(ipv4(initiationHex(147))).initiation());
        assertNull(IpUdpParser.parse(ipv4(initiationHex(149))).initiation());
        ByteBuffer whole = ipv4(initiationHex(148));
        assertNull(IpUdpParser.parse(whole.limit(whole.limit() - 1)).initiation(), "cut off by the copy range");
    }

    @Test
    void otherTypesCarryNoCopy() {
        String transport = initiationHex(148).replaceFirst("01", "04");
        assertNull(IpUdpParser.parse(ipv4(transport)).initiation());
    }
}
