package io.wgmon.capture.nflog;

import io.wgmon.capture.IpPackets;
import io.wgmon.capture.MessageType;
import io.wgmon.capture.PacketRejectedException;
import io.wgmon.capture.WireGuardPacket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.wgmon.capture.IpPackets.IPV4_INITIATION;
import static io.wgmon.capture.IpPackets.IPV6_TRANSPORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NflogPacketParserTest {
    private static final Instant NOW = Instant.parse("2026-11-25T23:52:51.450Z");
    private final NflogPacketParser parser = new NflogPacketParser(Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "attribute headers are little-endian");
    }

    @Test
    void readsAnIpv4HandshakeInitiationWithAllMetadata() throws Exception {
        ByteBuffer message = NflogFixtures.ipv4Message()
                .inboundInterface(7)
                .timestamp(1_795_045_971L, 450_123L)
                .payload(IPV4_INITIATION)
                .prefix("wg ")
                .build();

        WireGuardPacket packet = accepted(message);

        assertEquals(Instant.ofEpochSecond(1_795_045_971L, 450_123_000L), packet.time());
        assertEquals(InetAddress.getByName("192.0.2.2"), packet.source());
        assertEquals(53772, packet.sourcePort());
        assertEquals(InetAddress.getByName("192.0.2.1"), packet.destination());
        assertEquals(3000, packet.destinationPort());
        assertEquals(7, packet.interfaceIndex());
        assertEquals("wg ", packet.prefix());
        assertEquals(MessageType.HANDSHAKE_INITIATION, packet.type());
    }

    @Test
    void aSecondPacketFromTheSameEndpointCarriesTheSameEndpointInstance() {
        WireGuardPacket first = accepted(
                NflogFixtures.ipv4Message().timestamp(1_795_045_971L, 1L).payload(IPV4_INITIATION).build());
        WireGuardPacket second = accepted(
                NflogFixtures.ipv4Message().timestamp(1_795_045_972L, 2L).payload(IPV4_INITIATION).build());
        assertSame(first.sourceEndpoint(), second.sourceEndpoint());
        assertEquals(Instant.ofEpochSecond(1_795_045_972L, 2_000L), second.time());
    }

    @Test
    void aTimestampTooShortIsRejected() {
        assertRejected("malformed-attributes",
                NflogFixtures.ipv4Message().attribute(3, new byte[8]).payload(IPV4_INITIATION).build());
    }

    @Test
    void withoutTimestampInterfaceOrPrefixUsesClockZeroAndEmpty() {
        WireGuardPacket packet = accepted(NflogFixtures.ipv4Message().payload(IPV4_INITIATION).build());
        assertEquals(NOW, packet.time());
        assertEquals(0, packet.interfaceIndex());
        assertEquals("", packet.prefix());
    }

    @Test
    void readsAnIpv6TransportPacket() throws Exception {
        WireGuardPacket packet = accepted(NflogFixtures.ipv6Message().payload(IPV6_TRANSPORT).build());
        assertEquals(InetAddress.getByName("2001:db8::2"), packet.source());
        assertEquals(51820, packet.sourcePort());
        assertEquals(InetAddress.getByName("2001:db8::1"), packet.destination());
        assertEquals(3000, packet.destinationPort());
        assertEquals(MessageType.TRANSPORT_DATA, packet.type());
    }

    @Test
    void walksIpv6ExtensionHeaders() throws Exception {
        // hop-by-hop (8 bytes, PadN) -> routing (16 bytes) -> destination options (8) -> first fragment -> UDP
        String packet = "60 00 00 00 00 40 00 40"
                + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02"
                + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"
                + "2b 00 01 04 00 00 00 00"
                + "3c 01 00 00 00 00 00 00  00 00 00 00 00 00 00 00"
                + "2c 00 01 04 00 00 00 00"
                + "11 00 00 01 12 34 56 78"
                + "ca 6c 0b b8 00 0c 00 00"
                + "02 00 00 00";
        WireGuardPacket parsed = accepted(NflogFixtures.ipv6Message().payload(packet).build());
        assertEquals(InetAddress.getByName("2001:db8::2"), parsed.source());
        assertEquals(3000, parsed.destinationPort());
        assertEquals(MessageType.HANDSHAKE_RESPONSE, parsed.type());
    }

    @Test
    void aPayloadEndingAtTheUdpHeaderHasUnknownType() {
        String headersOnly = "45 00 00 1c 12 34 40 00 40 11 00 00 c0 00 02 02 c0 00 02 01 d2 0c 0b b8 00 08 00 00";
        assertEquals(MessageType.UNKNOWN, accepted(NflogFixtures.ipv4Message().payload(headersOnly).build()).type());
    }

    @Test
    void bytesPastTheIpTotalLengthAreNotTheMessageType() {
        // total length 28 ends at the UDP header; the trailing 01 is padding, not payload
        String padded = "45 00 00 1c 12 34 40 00 40 11 00 00 c0 00 02 02 c0 00 02 01 d2 0c 0b b8 00 08 00 00 01";
        assertEquals(MessageType.UNKNOWN, accepted(NflogFixtures.ipv4Message().payload(padded).build()).type());
    }

    @Test
    void honoursIpv4Options() {
        String withOptions = "46 00 00 b4 12 34 40 00 40 11 00 00 c0 00 02 02 c0 00 02 01  01 01 01 00"
                + "d2 0c 0b b8 00 9c 00 00  03 00 00 00";
        WireGuardPacket packet = accepted(NflogFixtures.ipv4Message().payload(withOptions).build());
        assertEquals(3000, packet.destinationPort());
        assertEquals(MessageType.COOKIE_REPLY, packet.type());
    }

    @Test
    void rejectsNonUdp() {
        String tcp = "45 00 00 28 12 34 40 00 40 06 00 00 c0 00 02 02 c0 00 02 01 d2 0c 0b b8 00 00 00 00";
        assertRejected("not-udp", NflogFixtures.ipv4Message().payload(tcp).build());
        String icmpv6 = "60 00 00 00 00 08 3a 40"
                + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02"
                + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"
                + "80 00 00 00 00 00 00 00";
        assertRejected("not-udp", NflogFixtures.ipv6Message().payload(icmpv6).build());
    }

    @Test
    void rejectsLaterFragments() {
        String ipv4Fragment = "45 00 00 b0 12 34 00 b9 40 11 00 00 c0 00 02 02 c0 00 02 01 01 02 03 04 05 06 07 08";
        assertRejected("fragment", NflogFixtures.ipv4Message().payload(ipv4Fragment).build());
        String ipv6Fragment = "60 00 00 00 00 10 2c 40"
                + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02"
                + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"
                + "11 00 05 c8 12 34 56 78  01 02 03 04 05 06 07 08";
        assertRejected("fragment", NflogFixtures.ipv6Message().payload(ipv6Fragment).build());
    }

    @Test
    void rejectsAMissingPayloadAttribute() {
        assertRejected("no-payload", NflogFixtures.ipv4Message().inboundInterface(3).prefix("wg").build());
    }

    @Test
    void rejectsTruncationAtEachLayer() {
        assertRejected("truncated-nfgenmsg", ByteBuffer.wrap(IpPackets.hex("02 00")));
        assertRejected("malformed-attributes", NflogFixtures.ipv4Message().raw("20 00 09 00 45 00").build());
        assertRejected("malformed-attributes", NflogFixtures.ipv4Message().raw("02 00 09 00").build());
        assertRejected("truncated-ip", NflogFixtures.ipv4Message().payload("").build());
        assertRejected("truncated-ip", NflogFixtures.ipv4Message().payload("45 00 00 b0 12 34 40 00 40 11").build());
        assertRejected("truncated-ip", NflogFixtures.ipv4Message()
                .payload("46 00 00 b4 12 34 40 00 40 11 00 00 c0 00 02 02 c0 00 02 01").build());
        assertRejected("truncated-ip", NflogFixtures.ipv6Message().payload("60 00 00 00 00 30 11 40 20 01 0d b8").build());
        assertRejected("truncated-ip", NflogFixtures.ipv6Message().payload("60 00 00 00 00 30 00 40"
                + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02"
                + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 11").build());
        assertRejected("truncated-udp", NflogFixtures.ipv4Message()
                .payload("45 00 00 b0 12 34 40 00 40 11 00 00 c0 00 02 02 c0 00 02 01 d2 0c 0b").build());
        assertRejected("truncated-udp", NflogFixtures.ipv6Message().payload("60 00 00 00 00 30 11 40"
                + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02"
                + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 ca 6c").build());
    }

    @Test
    void rejectsGarbage() {
        assertRejected("unknown-ip-version", NflogFixtures.ipv4Message().payload("ff ff ff ff ff ff").build());
        assertRejected("malformed-ip", NflogFixtures.ipv4Message()
                .payload("42 00 00 b0 12 34 40 00 40 11 00 00 c0 00 02 02 c0 00 02 01 d2 0c 0b b8 00 9c 00 00").build());
        assertRejected("malformed-attributes", NflogFixtures.ipv4Message()
                .attribute(3, new byte[] {1, 2, 3}).payload(IPV4_INITIATION).build());
        assertRejected("malformed-attributes", NflogFixtures.ipv4Message()
                .timestamp(Long.MAX_VALUE, Long.MAX_VALUE).payload(IPV4_INITIATION).build());
    }

    private WireGuardPacket accepted(ByteBuffer message) {
        return parser.parse(message);
    }

    private void assertRejected(String reason, ByteBuffer message) {
        PacketRejectedException rejected = assertThrows(PacketRejectedException.class, () -> parser.parse(message));
        assertEquals(reason, rejected.reason(), rejected.getMessage());
    }
}
