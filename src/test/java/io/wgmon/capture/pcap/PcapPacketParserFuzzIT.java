package io.wgmon.capture.pcap;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wgmon.capture.PacketRejectedException;
import io.wgmon.capture.WireGuardPacket;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Any captured frame on any link layer wgmon reads: a packet or {@link PacketRejectedException},
 * nothing else (docs/architecture.md#fuzzing). Input layout: one byte choosing the link type,
 * be64 seconds and be32 microseconds of the capture time (when that many bytes are left), then
 * the frame.
 */
class PcapPacketParserFuzzIT {
    static final List<Integer> LINK_TYPES = List.of(LinkLayer.DLT_EN10MB, LinkLayer.DLT_LINUX_SLL,
            LinkLayer.DLT_LINUX_SLL2, LinkLayer.DLT_RAW, LinkLayer.DLT_IPV4, LinkLayer.DLT_IPV6);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        int linkType = LINK_TYPES.get(Byte.toUnsignedInt(in.hasRemaining() ? in.get() : 0) % LINK_TYPES.size());
        long seconds = in.remaining() >= 8 ? in.getLong() : 0;
        long microseconds = in.remaining() >= 4 ? in.getInt() : 0;
        LinkLayer linkLayer = LinkLayer.forLinkType(linkType).orElseThrow();
        WireGuardPacket packet;
        try {
            packet = new PcapPacketParser(linkLayer, 3, CLOCK).parse(new CapturedFrame(seconds, microseconds, in.slice()));
        } catch (PacketRejectedException rejected) {
            assertNotNull(rejected.reason());
            return;
        }
        assertNotNull(packet.time());
        assertNotNull(packet.source());
        assertNotNull(packet.destination());
        assertNotNull(packet.type());
    }
}
