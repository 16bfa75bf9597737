package io.wgmon.tracking;

import io.wgmon.capture.MessageType;
import io.wgmon.capture.PacketsLost;
import io.wgmon.capture.WireGuardPacket;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static io.wgmon.tracking.ScanTrigger.Decision.AWAIT_SESSION;
import static io.wgmon.tracking.ScanTrigger.Decision.NONE;
import static io.wgmon.tracking.ScanTrigger.Decision.SCAN;
import static io.wgmon.tracking.ScanTrigger.Decision.URGENT_SCAN;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ScanTriggerTest {
    private static final Instant T0 = Instant.parse("2026-11-25T23:00:00Z");
    private final Set<InetSocketAddress> connected = new HashSet<>();
    private final ScanTrigger trigger = new ScanTrigger(() -> connected);

    private static WireGuardPacket packet(String source, int port, MessageType type, long millis) throws Exception {
        return new WireGuardPacket(T0.plusMillis(millis), new InetSocketAddress(InetAddress.getByName(source), port),
                InetAddress.getByName("192.0.2.1"), 3000, 2, "", type, type == MessageType.TRANSPORT_DATA, null);
    }

    @Test
    void theTransportPacketAfterAnInitiationIsTheHandshakeCompleting() throws Exception {
        assertEquals(AWAIT_SESSION, trigger.decide(packet("192.0.2.2", 4000, MessageType.HANDSHAKE_INITIATION, 0)));
        assertEquals(URGENT_SCAN, trigger.decide(packet("192.0.2.2", 4000, MessageType.TRANSPORT_DATA, 2)));
        assertEquals(SCAN, trigger.decide(packet("192.0.2.2", 4000, MessageType.TRANSPORT_DATA, 3)),
                "only the first one: the source is not known as connected yet");
    }

    @Test
    void transportFromAConnectedEndpointNeedsNoScan() throws Exception {
        connected.add(new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 4000));
        assertEquals(NONE, trigger.decide(packet("192.0.2.2", 4000, MessageType.TRANSPORT_DATA, 0)));
        assertEquals(SCAN, trigger.decide(packet("192.0.2.2", 4001, MessageType.TRANSPORT_DATA, 0)), "roamed");
    }

    @Test
    void aRekeyOfAConnectedPeerIsActivityNotAScan() throws Exception {
        connected.add(new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 4000));
        assertEquals(NONE, trigger.decide(packet("192.0.2.2", 4000, MessageType.HANDSHAKE_INITIATION, 0)));
        assertEquals(NONE, trigger.decide(packet("192.0.2.2", 4000, MessageType.TRANSPORT_DATA, 1)));
        assertEquals(NONE, trigger.decide(packet("192.0.2.2", 4000, MessageType.HANDSHAKE_RESPONSE, 2)),
                "a rekey this side initiated");
        assertEquals(AWAIT_SESSION, trigger.decide(packet("192.0.2.2", 4001, MessageType.HANDSHAKE_INITIATION, 3)),
                "another port: not what wgmon knows");
    }

    @Test
    void aResponseMeansOurOwnInitiationCompleted() throws Exception {
        assertEquals(URGENT_SCAN, trigger.decide(packet("2001:db8::2", 4000, MessageType.HANDSHAKE_RESPONSE, 0)));
    }

    @Test
    void cookiesAreIgnoredAndUnknownPayloadsScan() throws Exception {
        assertEquals(NONE, trigger.decide(packet("192.0.2.2", 4000, MessageType.COOKIE_REPLY, 0)));
        assertEquals(SCAN, trigger.decide(packet("192.0.2.2", 4000, MessageType.UNKNOWN, 0)));
        assertEquals(SCAN, trigger.decide(new PacketsLost(T0)));
    }

    @Test
    void anInitiationIsForgottenAfterTenSeconds() throws Exception {
        trigger.decide(packet("192.0.2.2", 4000, MessageType.HANDSHAKE_INITIATION, 0));
        assertEquals(SCAN, trigger.decide(packet("192.0.2.2", 4000, MessageType.TRANSPORT_DATA, 10_001)));
    }

    @Test
    void aFloodOfInitiationsStaysBounded() throws Exception {
        for (int i = 0; i < ScanTrigger.MAX_PENDING_HANDSHAKES + 10; i++) {
            trigger.decide(packet("10.0." + (i >> 8 & 255) + "." + (i & 255), 4000, MessageType.HANDSHAKE_INITIATION, 0));
        }
        assertEquals(SCAN, trigger.decide(packet("10.0.0.0", 4000, MessageType.TRANSPORT_DATA, 1)), "eldest evicted");
        assertEquals(URGENT_SCAN, trigger.decide(packet("10.0.16.9", 4000, MessageType.TRANSPORT_DATA, 1)));
    }

    @Test
    void oneSourceGetsOneUrgentScanPerTwoSecondsAndOthersStillGetTheirs() throws Exception {
        assertEquals(URGENT_SCAN, trigger.decide(packet("198.51.100.9", 5000, MessageType.HANDSHAKE_RESPONSE, 0)));
        for (int port = 5001; port < 5100; port++) {
            trigger.decide(packet("198.51.100.9", port, MessageType.HANDSHAKE_INITIATION, port - 5000));
            assertEquals(SCAN, trigger.decide(packet("198.51.100.9", port, MessageType.TRANSPORT_DATA, port - 5000)),
                    "forged pairs from one address, whatever the port, are coalesced");
            assertEquals(SCAN, trigger.decide(packet("198.51.100.9", port, MessageType.HANDSHAKE_RESPONSE, port - 5000)));
        }
        trigger.decide(packet("192.0.2.2", 4000, MessageType.HANDSHAKE_INITIATION, 500));
        assertEquals(URGENT_SCAN, trigger.decide(packet("192.0.2.2", 4000, MessageType.TRANSPORT_DATA, 501)),
                "a real handshake from another address during the flood");
        assertEquals(URGENT_SCAN, trigger.decide(packet("198.51.100.9", 5000, MessageType.HANDSHAKE_RESPONSE,
                ScanTrigger.URGENT_PER_SOURCE.toMillis())), "the flooding address again after two seconds");
    }

    @Test
    void peersBehindOneAddressConnectingOneAfterTheOtherEachGetAnUrgentScan() throws Exception {
        InetAddress nat = InetAddress.getByName("203.0.113.7");
        for (int peer = 0; peer < 5; peer++) {
            int port = 40000 + peer;
            trigger.decide(packet("203.0.113.7", port, MessageType.HANDSHAKE_INITIATION, 100L * peer));
            assertEquals(URGENT_SCAN, trigger.decide(packet("203.0.113.7", port, MessageType.TRANSPORT_DATA, 100L * peer + 1)),
                    "peer " + peer + " behind the NAT");
            trigger.connected(nat); // its scan found the connect
        }
        trigger.decide(packet("203.0.113.7", 41000, MessageType.HANDSHAKE_INITIATION, 600));
        trigger.decide(packet("203.0.113.7", 41000, MessageType.TRANSPORT_DATA, 601));
        trigger.decide(packet("203.0.113.7", 41001, MessageType.HANDSHAKE_INITIATION, 602));
        assertEquals(SCAN, trigger.decide(packet("203.0.113.7", 41001, MessageType.TRANSPORT_DATA, 603)),
                "a scan that found nothing earns nothing: the next one from that address is coalesced");
    }
}
