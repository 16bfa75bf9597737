package io.wgmon.capture.nflog;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wgmon.capture.PacketRejectedException;
import io.wgmon.capture.WireGuardPacket;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Any bytes as the payload of an NFLOG packet message: a packet or
 * {@link PacketRejectedException}, nothing else (docs/architecture.md#fuzzing).
 */
class NflogPacketParserFuzzIT {
    private final NflogPacketParser parser =
            new NflogPacketParser(Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] messagePayload) {
        WireGuardPacket packet;
        try {
            packet = parser.parse(ByteBuffer.wrap(messagePayload));
        } catch (PacketRejectedException rejected) {
            assertNotNull(rejected.reason());
            return;
        }
        assertNotNull(packet.time());
        assertNotNull(packet.source());
        assertNotNull(packet.destination());
        assertNotNull(packet.prefix());
        assertNotNull(packet.type());
    }
}
