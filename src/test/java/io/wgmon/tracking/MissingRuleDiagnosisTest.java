package io.wgmon.tracking;

import io.wgmon.capture.MessageType;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.Scan;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** In the time of the scans and packets it is given. */
class MissingRuleDiagnosisTest {
    private static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");
    private static final String KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private static final InetSocketAddress ENDPOINT = new InetSocketAddress("192.0.2.2", 40000);
    private final MissingRuleDiagnosis diagnosis = new MissingRuleDiagnosis("nflog group 7",
            port -> "advice for port " + port);

    private static Peer peer(Instant handshake) {
        return new Peer(KEY, ENDPOINT, List.of("10.0.0.2/32"), handshake, 100, 100, 0, 1);
    }

    /** A scan that finds the peer with {@code handshake}, and the tracker's events of that scan for it. */
    private void scan(long second, Instant handshake, PeerEventType... events) {
        Peer peer = peer(handshake);
        Instant time = T0.plusSeconds(second);
        PeerKey key = new PeerKey("wg0", KEY);
        Scan scan = new Scan(time, List.of(new Device("wg0", KEY, 51820, 0, List.of(peer))), List.of());
        List<PeerEvent> tracked = Arrays.stream(events)
                .map(type -> new PeerEvent(UUID.randomUUID(), type, time, "host", key, peer, null, null, null, null, null, null))
                .toList();
        diagnosis.scanned(scan, List.of(new PeerState(key, peer, null, null, false, null)), tracked, endpoint -> null);
    }

    private static WireGuardPacket packet(long second, MessageType type, boolean sessionStart) throws Exception {
        return new WireGuardPacket(T0.plusSeconds(second), new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 40000),
                InetAddress.getByName("192.0.2.1"), 51820, 2, "", type, sessionStart, null);
    }

    @Test
    void aHandshakeNoPacketPrecededIsAMissingRuleSaidWithThePortAndGroup() {
        scan(0, null);
        scan(20, T0.plusSeconds(10), PeerEventType.CONNECTED);
        MissingRuleDiagnosis.Finding finding = diagnosis.finding();
        assertNotNull(finding);
        assertEquals(new PeerKey("wg0", KEY), finding.peer());
        assertTrue(finding.message().contains("nflog group 7"), finding.message());
        assertTrue(finding.message().contains("advice for port 51820"), finding.message());
        assertEquals(1, diagnosis.detections());
    }

    @Test
    void saidOnceNotPerScanAndClearedByTheNextPacket() throws Exception {
        scan(0, null);
        scan(20, T0.plusSeconds(10), PeerEventType.CONNECTED);
        scan(25, T0.plusSeconds(10));
        scan(200, T0.plusSeconds(130), PeerEventType.ROAMED);
        assertEquals(1, diagnosis.detections());
        diagnosis.seen(packet(201, MessageType.HANDSHAKE_INITIATION, false));
        assertNull(diagnosis.finding());
        assertTrue(diagnosis.packetsSeen());
        scan(205, T0.plusSeconds(130));
        assertNull(diagnosis.finding(), "the handshake judged before the packet is not judged again");
        assertEquals(1, diagnosis.detections());
    }

    @Test
    void aHandshakeItsInitiationWasSeenForIsFine() throws Exception {
        scan(0, null);
        diagnosis.seen(packet(9, MessageType.HANDSHAKE_INITIATION, false));
        scan(20, T0.plusSeconds(10), PeerEventType.CONNECTED);
        assertNull(diagnosis.finding());
    }

    @Test
    void aHandshakeBeforeTheFirstScanIsNotJudged() {
        scan(30, T0.plusSeconds(10));
        scan(40, T0.plusSeconds(10), PeerEventType.CONNECTED);
        assertNull(diagnosis.finding(), "it happened before the capture was watching");
        assertFalse(diagnosis.packetsSeen());
    }

    @Test
    void aHandshakeTooFreshForItsPacketToHaveArrivedWaitsForTheNextScan() {
        scan(0, null);
        scan(11, T0.plusSeconds(10), PeerEventType.CONNECTED);
        assertNull(diagnosis.finding(), "within the settle time");
        scan(16, T0.plusSeconds(10));
        assertNotNull(diagnosis.finding());
    }

    @Test
    void aPacketFromAnEarlierHandshakeDoesNotCover() throws Exception {
        scan(0, null);
        diagnosis.seen(packet(5, MessageType.TRANSPORT_DATA, true));
        scan(6, T0.plusSeconds(5), PeerEventType.CONNECTED);
        diagnosis.seen(packet(6, MessageType.HANDSHAKE_RESPONSE, false));
        scan(200, T0.plusSeconds(130), PeerEventType.CONNECTED);
        assertNotNull(diagnosis.finding(), "the rule went away after the first handshake");
    }

    @Test
    void aConnectedPeersRekeyFromItsEndpointIsNotJudged() throws Exception {
        scan(0, null);
        diagnosis.seen(packet(9, MessageType.HANDSHAKE_INITIATION, false));
        scan(20, T0.plusSeconds(10), PeerEventType.CONNECTED);
        scan(150, T0.plusSeconds(130));
        scan(280, T0.plusSeconds(250));
        assertNull(diagnosis.finding(), "the rule keeps a known endpoint's rekeys out of the log");
        assertEquals(0, diagnosis.detections());
    }

    @Test
    void aRoamNoPacketPrecededIsAMissingRule() throws Exception {
        scan(0, null);
        diagnosis.seen(packet(9, MessageType.HANDSHAKE_INITIATION, false));
        scan(20, T0.plusSeconds(10), PeerEventType.CONNECTED);
        scan(150, T0.plusSeconds(130), PeerEventType.ROAMED);
        assertNotNull(diagnosis.finding(), "a new endpoint's handshake is logged");
    }

    @Test
    void aRoamWithoutANewHandshakeIsNotJudged() throws Exception {
        scan(0, null);
        diagnosis.seen(packet(9, MessageType.HANDSHAKE_INITIATION, false));
        scan(20, T0.plusSeconds(10), PeerEventType.CONNECTED);
        scan(150, T0.plusSeconds(130));
        scan(170, T0.plusSeconds(130), PeerEventType.ROAMED);
        assertNull(diagnosis.finding(), "data from a new port moved the endpoint: no handshake the rule logs");
    }
}
