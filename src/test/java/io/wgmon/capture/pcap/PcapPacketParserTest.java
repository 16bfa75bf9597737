package io.wgmon.capture.pcap;

import io.wgmon.capture.MessageType;
import io.wgmon.capture.PacketRejectedException;
import io.wgmon.capture.WireGuardPacket;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.wgmon.capture.IpPackets.IPV4_INITIATION;
import static io.wgmon.capture.IpPackets.IPV6_TRANSPORT;
import static io.wgmon.capture.IpPackets.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Link-layer headers as libpcap hands them over, in front of the shared IP/UDP fixtures. */
class PcapPacketParserTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final int CAPTURE_INDEX = 3;

    private static final String MACS = "02 00 00 00 00 01 02 00 00 00 00 02";
    /** Linux cooked v1 up to (not including) the protocol: incoming to us, ARPHRD_ETHER, 6-byte address. */
    private static final String SLL_BEFORE_PROTOCOL = "00 00 00 01 00 06 02 00 00 00 00 02 00 00";
    /** Linux cooked v2 after the protocol: reserved, ifindex 7, ARPHRD_ETHER, host, 6-byte address. */
    private static final String SLL2_AFTER_PROTOCOL = "00 00 00 00 00 07 00 01 00 06 02 00 00 00 00 02 00 00";

    @Test
    void ethernetIpv4() throws Exception {
        WireGuardPacket packet = parse(LinkLayer.ETHERNET, MACS + "08 00" + IPV4_INITIATION);
        assertEquals(InetAddress.getByName("192.0.2.2"), packet.source());
        assertEquals(53772, packet.sourcePort());
        assertEquals(InetAddress.getByName("192.0.2.1"), packet.destination());
        assertEquals(3000, packet.destinationPort());
        assertEquals(MessageType.HANDSHAKE_INITIATION, packet.type());
        assertEquals(CAPTURE_INDEX, packet.interfaceIndex());
        assertEquals("", packet.prefix());
    }

    @Test
    void ethernetWithAVlanTagIpv6() throws Exception {
        WireGuardPacket packet = parse(LinkLayer.ETHERNET, MACS + "81 00 00 64 86 dd" + IPV6_TRANSPORT);
        assertEquals(InetAddress.getByName("2001:db8::2"), packet.source());
        assertEquals(51820, packet.sourcePort());
        assertEquals(InetAddress.getByName("2001:db8::1"), packet.destination());
        assertEquals(3000, packet.destinationPort());
        assertEquals(MessageType.TRANSPORT_DATA, packet.type());
    }

    @Test
    void ethernetWithTwoTags() {
        WireGuardPacket packet = parse(LinkLayer.ETHERNET, MACS + "88 a8 00 0a 81 00 00 64 08 00" + IPV4_INITIATION);
        assertEquals(MessageType.HANDSHAKE_INITIATION, packet.type());
    }

    @Test
    void linuxCookedV1() {
        WireGuardPacket packet = parse(LinkLayer.LINUX_SLL, SLL_BEFORE_PROTOCOL + "08 00" + IPV4_INITIATION);
        assertEquals(MessageType.HANDSHAKE_INITIATION, packet.type());
        assertEquals(CAPTURE_INDEX, packet.interfaceIndex());
    }

    @Test
    void linuxCookedV1WithTheVlanTagLibpcapReinserts() {
        WireGuardPacket packet = parse(LinkLayer.LINUX_SLL, SLL_BEFORE_PROTOCOL + "81 00 00 64 86 dd" + IPV6_TRANSPORT);
        assertEquals(MessageType.TRANSPORT_DATA, packet.type());
    }

    @Test
    void linuxCookedV2TellsTheInterface() throws Exception {
        WireGuardPacket packet = parse(LinkLayer.LINUX_SLL2, "86 dd" + SLL2_AFTER_PROTOCOL + IPV6_TRANSPORT);
        assertEquals(InetAddress.getByName("2001:db8::2"), packet.source());
        assertEquals(MessageType.TRANSPORT_DATA, packet.type());
        assertEquals(7, packet.interfaceIndex());
    }

    @Test
    void rawIpOfEitherVersion() {
        assertEquals(MessageType.HANDSHAKE_INITIATION, parse(LinkLayer.RAW_IP, IPV4_INITIATION).type());
        assertEquals(MessageType.TRANSPORT_DATA, parse(LinkLayer.RAW_IP, IPV6_TRANSPORT).type());
    }

    @Test
    void linkTypesByNumber() {
        assertEquals(LinkLayer.ETHERNET, LinkLayer.forLinkType(1).orElseThrow());
        assertEquals(LinkLayer.LINUX_SLL, LinkLayer.forLinkType(113).orElseThrow());
        assertEquals(LinkLayer.LINUX_SLL2, LinkLayer.forLinkType(276).orElseThrow());
        for (int raw : new int[] {12, 101, 228, 229}) {
            assertEquals(LinkLayer.RAW_IP, LinkLayer.forLinkType(raw).orElseThrow(), "DLT " + raw);
        }
        assertTrue(LinkLayer.forLinkType(105).isEmpty(), "802.11 is not read");
        assertTrue(LinkLayer.forLinkType(0).isEmpty(), "BSD loopback is not read");
    }

    @Test
    void captureTimeIsThePacketTime() {
        WireGuardPacket packet = new PcapPacketParser(LinkLayer.RAW_IP, 0, CLOCK)
                .parse(new CapturedFrame(1_764_075_171L, 450_123L, ByteBuffer.wrap(hex(IPV4_INITIATION))));
        assertEquals(Instant.parse("2025-11-25T12:52:51.450123Z"), packet.time());
    }

    @Test
    void nonsenseCaptureTimeFallsBackToTheClock() {
        WireGuardPacket packet = new PcapPacketParser(LinkLayer.RAW_IP, 0, CLOCK)
                .parse(new CapturedFrame(1L, 2_000_000L, ByteBuffer.wrap(hex(IPV4_INITIATION))));
        assertEquals(NOW, packet.time());
    }

    @Test
    void truncatedEthernetHeader() {
        assertRejected("truncated-link", LinkLayer.ETHERNET, "02 00 00 00 00 01 02 00 00 00");
        assertRejected("truncated-link", LinkLayer.ETHERNET, MACS + "08");
    }

    @Test
    void truncatedVlanTag() {
        assertRejected("truncated-link", LinkLayer.ETHERNET, MACS + "81 00 00 64 86");
    }

    @Test
    void truncatedCookedHeaders() {
        assertRejected("truncated-link", LinkLayer.LINUX_SLL, SLL_BEFORE_PROTOCOL);
        assertRejected("truncated-link", LinkLayer.LINUX_SLL2, "86 dd 00 00 00 00 00 07 00 01");
    }

    @Test
    void truncatedIpHeader() {
        assertRejected("truncated-ip", LinkLayer.ETHERNET, MACS + "08 00" + IPV4_INITIATION.substring(0, 3 * 12));
        assertRejected("truncated-ip", LinkLayer.LINUX_SLL2, "86 dd" + SLL2_AFTER_PROTOCOL + "60 00 00 00 00 30 11 40");
        assertRejected("truncated-ip", LinkLayer.ETHERNET, MACS + "08 00");
    }

    @Test
    void truncatedUdpHeader() {
        String ipv4HeaderAndHalfUdp = IPV4_INITIATION.replaceAll("\\s+", "").substring(0, 2 * 24);
        assertRejected("truncated-udp", LinkLayer.ETHERNET, MACS + "08 00" + ipv4HeaderAndHalfUdp);
    }

    @Test
    void cutBeforeTheWireGuardHeaderIsKeptWithUnknownType() {
        String ipv4AndUdp = IPV4_INITIATION.replaceAll("\\s+", "").substring(0, 2 * 28);
        WireGuardPacket packet = parse(LinkLayer.ETHERNET, MACS + "08 00" + ipv4AndUdp);
        assertEquals(MessageType.UNKNOWN, packet.type());
        assertEquals(3000, packet.destinationPort());
    }

    @Test
    void notIp() {
        assertRejected("not-ip", LinkLayer.ETHERNET, MACS + "08 06 00 01 08 00 06 04 00 01");
        assertRejected("not-ip", LinkLayer.LINUX_SLL2, "08 06" + SLL2_AFTER_PROTOCOL + "00 01");
    }

    @Test
    void notUdp() {
        assertRejected("not-udp", LinkLayer.ETHERNET,
                MACS + "08 00 45 00 00 28 12 34 40 00 40 06 00 00 c0 00 02 02 c0 00 02 01 d2 0c 0b b8");
    }

    private static WireGuardPacket parse(LinkLayer linkLayer, String frameHex) {
        return new PcapPacketParser(linkLayer, CAPTURE_INDEX, CLOCK)
                .parse(new CapturedFrame(NOW.getEpochSecond(), 0, ByteBuffer.wrap(hex(frameHex))));
    }

    private static void assertRejected(String reason, LinkLayer linkLayer, String frameHex) {
        PacketRejectedException e = assertThrows(PacketRejectedException.class, () -> parse(linkLayer, frameHex));
        assertEquals(reason, e.reason(), e.getMessage());
    }
}
