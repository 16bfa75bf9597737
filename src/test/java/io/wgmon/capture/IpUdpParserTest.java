package io.wgmon.capture;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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
        UdpFlow flow = IpUdpParser.parse(ipv4("04 00 00 00 a1 b2 c3 d4 00 00 00 00 00 00 00 00 ff ff"), new EndpointTable());
        assertEquals(MessageType.TRANSPORT_DATA, flow.type());
        assertTrue(flow.sessionStart());
    }

    @Test
    void aCounterWithAnyByteSetIsOrdinaryData() {
        // little-endian on the wire: the low byte comes first, the high byte last
        assertFalse(IpUdpParser.parse(ipv4("04 00 00 00 a1 b2 c3 d4 01 00 00 00 00 00 00 00 ff ff"), new EndpointTable()).sessionStart());
        assertFalse(IpUdpParser.parse(ipv4("04 00 00 00 a1 b2 c3 d4 00 00 00 00 00 00 00 80 ff ff"), new EndpointTable()).sessionStart());
    }

    @Test
    void aCounterCutOffByTheCopyRangeIsOrdinaryData() {
        UdpFlow flow = IpUdpParser.parse(ipv4("04 00 00 00 a1 b2 c3 d4 00 00 00 00 00 00 00"), new EndpointTable());
        assertEquals(MessageType.TRANSPORT_DATA, flow.type());
        assertFalse(flow.sessionStart());
    }

    @Test
    void zerosAfterAHandshakeTypeAreNoSessionStart() {
        UdpFlow flow = IpUdpParser.parse(ipv4("01 00 00 00 a1 b2 c3 d4 00 00 00 00 00 00 00 00"), new EndpointTable());
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
        UdpFlow flow = IpUdpParser.parse(ipv4(initiationHex(148)), new EndpointTable());
        assertEquals(MessageType.HANDSHAKE_INITIATION, flow.type());
        byte[] copy = flow.initiation().bytes();
        assertEquals(132, copy.length);
        assertEquals(1, copy[0]);
        assertEquals(115, copy[115], "the last byte mac1 covers");
        assertEquals((byte) 131, copy[131], "the last byte of mac1");
    }

    @Test
    void anInitiationOfAnotherLengthOrCutOffCarriesNothing() {
        assertNull(IpUdpParser.parse(ipv4(initiationHex(147)), new EndpointTable()).initiation());
        assertNull(IpUdpParser.parse(ipv4(initiationHex(149)), new EndpointTable()).initiation());
        ByteBuffer whole = ipv4(initiationHex(148));
        assertNull(IpUdpParser.parse(whole.limit(whole.limit() - 1), new EndpointTable()).initiation(), "cut off by the copy range");
    }

    @Test
    void otherTypesCarryNoCopy() {
        String transport = initiationHex(148).replaceFirst("01", "04");
        assertNull(IpUdpParser.parse(ipv4(transport), new EndpointTable()).initiation());
    }

    @Test
    void packetsFromOneEndpointShareItsInstance() {
        EndpointTable endpoints = new EndpointTable();
        UdpFlow initiation = IpUdpParser.parse(ipv4(initiationHex(148)), endpoints);
        UdpFlow sessionStart = IpUdpParser.parse(ipv4("04 00 00 00 a1 b2 c3 d4 00 00 00 00 00 00 00 00 ff ff"), endpoints);
        assertSame(initiation.sourceEndpoint(), sessionStart.sourceEndpoint());
        assertSame(initiation.destinationEndpoint(), sessionStart.destinationEndpoint());
    }

    @Test
    void readsInPlaceFromThePositionWhateverTheByteOrderAndMovesNothing() throws Exception {
        byte[] packet = ipv4("04 00 00 00 a1 b2 c3 d4 00 00 00 00 00 00 00 00 ff ff").array();
        ByteBuffer buffer = ByteBuffer.allocate(packet.length + 7).order(ByteOrder.LITTLE_ENDIAN);
        buffer.position(5);
        buffer.put(packet).limit(5 + packet.length).position(5);

        UdpFlow flow = IpUdpParser.parse(buffer, new EndpointTable());

        assertEquals(InetAddress.getByName("192.0.2.2"), flow.source());
        assertEquals(53772, flow.sourcePort());
        assertEquals(InetAddress.getByName("192.0.2.1"), flow.destination());
        assertEquals(3000, flow.destinationPort());
        assertTrue(flow.sessionStart());
        assertEquals(5, buffer.position());
        assertEquals(5 + packet.length, buffer.limit());
        assertEquals(ByteOrder.LITTLE_ENDIAN, buffer.order());
    }
}
