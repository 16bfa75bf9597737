package io.wgmon.tracking;

import io.wgmon.capture.MessageType;
import io.wgmon.capture.WireGuardPacket;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which packets date what: completed handshakes move deadlines, ordinary data dates rx growth. */
class SessionStartTimesTest {
    private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.2", 40000);

    private final SessionStartTimes sessionStarts = new SessionStartTimes();
    private final LastPacketTimes lastPackets = new LastPacketTimes();

    private void see(long second, MessageType type, boolean sessionStart) throws Exception {
        WireGuardPacket packet = new WireGuardPacket(T0.plusSeconds(second), new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 40000),
                InetAddress.getByName("192.0.2.1"), 3000, 2, "", type, sessionStart, null);
        sessionStarts.record(packet);
        lastPackets.record(packet);
    }

    @Test
    void anInitiationAloneProvesNoHandshake() throws Exception {
        see(1, MessageType.HANDSHAKE_INITIATION, false);
        assertNull(sessionStarts.lastFrom(PEER));
        assertNull(lastPackets.lastFrom(PEER));
    }

    @Test
    void aResponseOrASessionsFirstPacketIsACompletedHandshake() throws Exception {
        see(1, MessageType.HANDSHAKE_RESPONSE, false);
        assertEquals(T0.plusSeconds(1), sessionStarts.lastFrom(PEER));
        see(2, MessageType.TRANSPORT_DATA, true);
        assertEquals(T0.plusSeconds(2), sessionStarts.lastFrom(PEER));
        assertNull(lastPackets.lastFrom(PEER), "a session's first packet says nothing of the data after it");
    }

    @Test
    void ordinaryDataDatesRxGrowthButMovesNoDeadline() throws Exception {
        see(3, MessageType.TRANSPORT_DATA, false);
        assertEquals(T0.plusSeconds(3), lastPackets.lastFrom(PEER));
        assertNull(sessionStarts.lastFrom(PEER));
    }
}
