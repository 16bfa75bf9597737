package io.wgmon.tracking;

import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.Scan;
import io.wgmon.wireguard.Scan.ScanFailure;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionTrackerTest {
    private static final Duration IDLE = Duration.ofSeconds(180);
    private static final Instant T0 = Instant.parse("2026-11-25T23:00:00Z");
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    private static final String BOB = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

    private final AtomicLong idCounter = new AtomicLong();
    private ConnectionTracker tracker = tracker(false);

    private ConnectionTracker tracker(boolean reportExisting) {
        return new ConnectionTracker("node-1", IDLE, reportExisting,
                key -> key.publicKey().equals(ALICE) ? "alice-laptop" : null,
                () -> new UUID(0, idCounter.incrementAndGet()), endpoint -> null, Instant.MAX);
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Peer peer(String key, Instant handshake, long rx) {
        return peer(key, handshake, rx, "192.0.2.2", 33612);
    }

    private static Peer peer(String key, Instant handshake, long rx, String host, int port) {
        try {
            return new Peer(key, new InetSocketAddress(InetAddress.getByName(host), port), List.of("10.10.10.2/32"),
                    handshake, rx, 92, 0, 1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Scan scan(long seconds, Peer... peers) {
        return new Scan(at(seconds), List.of(new Device("wg0", null, 3000, 0, List.of(peers))), List.of());
    }

    private static Scan empty(long seconds) {
        return new Scan(at(seconds), List.of(), List.of());
    }

    @Test
    void baselineTracksConnectedPeersSilently() {
        assertEquals(List.of(), tracker.apply(scan(0, peer(ALICE, at(-10), 500))));
        assertTrue(tracker.hasConnectedPeers());
        assertEquals(List.of(), tracker.apply(scan(5, peer(ALICE, at(-10), 500))));
    }

    @Test
    void baselineReportsExistingPeersWhenAsked() {
        tracker = tracker(true);
        List<PeerEvent> events = tracker.apply(scan(0, peer(ALICE, at(-10), 500), peer(BOB, at(-1000), 5)));
        assertEquals(1, events.size());
        assertEquals(PeerEventType.CONNECTED, events.get(0).type());
        assertEquals(ALICE, events.get(0).key().publicKey());
    }

    @Test
    void aHandshakeNewerThanTheStartIsAConnectEvenInTheBaseline() {
        tracker = new ConnectionTracker("node-1", IDLE, false, key -> null,
                () -> new UUID(0, idCounter.incrementAndGet()), endpoint -> null, at(-1));
        List<PeerEvent> events = tracker.apply(scan(0, peer(ALICE, at(-10), 500), peer(BOB, at(0), 5)));
        assertEquals(1, events.size(), "the handshake during start-up is reported, the older one is the baseline");
        assertEquals(PeerEventType.CONNECTED, events.get(0).type());
        assertEquals(BOB, events.get(0).key().publicKey());
        List<PeerEvent> later = tracker.apply(scan(400, peer(ALICE, at(-10), 500), peer(BOB, at(0), 5)));
        assertEquals(1, later.size(), "only the reported peer's disconnect is sent");
        assertEquals(BOB, later.get(0).key().publicKey());
        assertEquals(DisconnectReason.IDLE, later.get(0).reason());
    }

    @Test
    void aPeerTrackedSilentlyByTheBaselineLeavesSilently() {
        tracker.apply(scan(0, peer(ALICE, at(-10), 500), peer(BOB, at(-20), 5)));
        assertEquals(List.of(), tracker.apply(scan(400, peer(ALICE, at(-10), 500), peer(BOB, at(-20), 5))),
                "idle: its connect was never sent, so neither is its disconnect");
        assertFalse(tracker.hasConnectedPeers());
        tracker.apply(scan(401, peer(ALICE, at(-10), 500), peer(BOB, at(-20), 5)));
        tracker = tracker(false);
        tracker.apply(scan(0, peer(ALICE, at(-10), 500)));
        assertEquals(List.of(), tracker.apply(scan(10)), "interface gone: nothing to report either");
    }

    @Test
    void countersGoingBackOnTheWholeDeviceAreARestartReportedAsDisconnectThenConnect() {
        tracker.apply(scan(0, peer(ALICE, null, 0), peer(BOB, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 10_000), peer(BOB, at(1), 700)));
        // the daemon restarts between two scans: counters start from zero, Alice handshakes again at once
        List<PeerEvent> events = tracker.apply(scan(30, peer(ALICE, at(29), 180), peer(BOB, null, 0)));
        List<PeerEvent> alice = events.stream().filter(e -> e.key().publicKey().equals(ALICE)).toList();
        List<PeerEvent> bob = events.stream().filter(e -> e.key().publicKey().equals(BOB)).toList();
        assertEquals(List.of(PeerEventType.DISCONNECTED, PeerEventType.CONNECTED), alice.stream().map(PeerEvent::type).toList());
        assertEquals(List.of(PeerEventType.DISCONNECTED), bob.stream().map(PeerEvent::type).toList());
        assertEquals(DisconnectReason.INTERFACE_DOWN, alice.get(0).reason());
        assertEquals(DisconnectReason.INTERFACE_DOWN, bob.get(0).reason());
        assertEquals(at(30), alice.get(1).time());
    }

    @Test
    void countersGoingBackForOnePeerAreThatPeerReAdded() {
        tracker.apply(scan(0, peer(ALICE, null, 0), peer(BOB, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 10_000), peer(BOB, at(1), 700)));
        List<PeerEvent> events = tracker.apply(scan(30, peer(ALICE, at(1), 12_000), peer(BOB, null, 0)));
        assertEquals(1, events.size());
        assertEquals(BOB, events.get(0).key().publicKey());
        assertEquals(DisconnectReason.REMOVED, events.get(0).reason());
        assertEquals(PeerEventType.CONNECTED, tracker.apply(scan(31, peer(ALICE, at(1), 12_000), peer(BOB, at(31), 90)))
                .get(0).type());
    }

    @Test
    void baselineTreatsOldHandshakesAsDisconnected() {
        tracker.apply(scan(0, peer(ALICE, at(-181), 500)));
        assertFalse(tracker.hasConnectedPeers());
    }

    @Test
    void peerThatNeverHandshakesIsNeverReported() {
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        for (int t = 5; t < 1000; t += 5) {
            assertEquals(List.of(), tracker.apply(scan(t, peer(ALICE, null, 0))));
        }
        assertFalse(tracker.hasConnectedPeers());
    }

    @Test
    void newerHandshakeConnectsOnceWithTheFullPeer() {
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        List<PeerEvent> events = tracker.apply(scan(10, peer(ALICE, at(10), 180)));
        assertEquals(1, events.size());
        PeerEvent event = events.get(0);
        assertEquals(PeerEventType.CONNECTED, event.type());
        assertEquals(new PeerKey("wg0", ALICE), event.key());
        assertEquals("node-1", event.host());
        assertEquals("alice-laptop", event.name());
        assertEquals("192.0.2.2:33612", event.peer().endpointText());
        assertEquals(List.of("10.10.10.2/32"), event.peer().allowedIps());
        assertEquals(at(10), event.time());
        assertNull(event.reason());
        assertNull(event.connectedFor());
        assertEquals(List.of(), tracker.apply(scan(11, peer(ALICE, at(10), 180))));
        assertEquals(List.of(), tracker.apply(scan(130, peer(ALICE, at(130), 400))), "rekey is not a new connection");
    }

    @Test
    void rxGrowthKeepsAPeerConnectedPastTheIdleTimeout() {
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 100)));
        assertEquals(List.of(), tracker.apply(scan(100, peer(ALICE, at(1), 200))));
        assertEquals(List.of(), tracker.apply(scan(250, peer(ALICE, at(1), 300))));
        assertTrue(tracker.hasConnectedPeers());
    }

    @Test
    void idleForTheTimeoutDisconnectsWithReasonIdle() {
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 100)));
        tracker.apply(scan(50, peer(ALICE, at(1), 200)));
        assertEquals(List.of(), tracker.apply(scan(229, peer(ALICE, at(1), 200))), "179 s quiet is not idle yet");
        List<PeerEvent> events = tracker.apply(scan(230, peer(ALICE, at(1), 200)));
        assertEquals(1, events.size());
        PeerEvent event = events.get(0);
        assertEquals(PeerEventType.DISCONNECTED, event.type());
        assertEquals(DisconnectReason.IDLE, event.reason());
        assertEquals(Duration.ofSeconds(229), event.connectedFor());
        assertEquals(200, event.peer().rxBytes());
        assertFalse(tracker.hasConnectedPeers());
        assertEquals(List.of(), tracker.apply(scan(300, peer(ALICE, at(1), 200))), "reported once");
    }

    @Test
    void rxGrowthAloneNeverConnects() {
        tracker.apply(scan(0, peer(ALICE, at(-500), 100)));
        assertEquals(List.of(), tracker.apply(scan(5, peer(ALICE, at(-500), 900))));
        assertFalse(tracker.hasConnectedPeers());
    }

    @Test
    void aNewHandshakeAfterAnIdleDisconnectConnectsAgain() {
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 100)));
        assertEquals(PeerEventType.DISCONNECTED, tracker.apply(scan(200, peer(ALICE, at(1), 100))).get(0).type());
        List<PeerEvent> events = tracker.apply(scan(400, peer(ALICE, at(399), 300)));
        assertEquals(1, events.size());
        assertEquals(PeerEventType.CONNECTED, events.get(0).type());
    }

    @Test
    void aHandshakeNewerButAlreadyStaleDoesNotConnect() {
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        assertEquals(List.of(), tracker.apply(scan(500, peer(ALICE, at(100), 100))));
        assertFalse(tracker.hasConnectedPeers());
    }

    @Test
    void removedPeerDisconnectsWithReasonRemoved() {
        tracker.apply(scan(0, peer(ALICE, null, 0), peer(BOB, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 100), peer(BOB, null, 0)));
        List<PeerEvent> events = tracker.apply(scan(20, peer(BOB, null, 0)));
        assertEquals(1, events.size());
        assertEquals(DisconnectReason.REMOVED, events.get(0).reason());
        assertEquals(ALICE, events.get(0).key().publicKey());
        assertEquals(Duration.ofSeconds(19), events.get(0).connectedFor());
        assertEquals(List.of(), tracker.apply(scan(25)), "an unconnected peer leaves silently");
    }

    @Test
    void aRemovedPeerAddedBackConnectsOnItsNextHandshake() {
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 100)));
        tracker.apply(scan(2));
        tracker.apply(scan(3, peer(ALICE, null, 0)));
        List<PeerEvent> events = tracker.apply(scan(4, peer(ALICE, at(4), 50)));
        assertEquals(PeerEventType.CONNECTED, events.get(0).type());
    }

    @Test
    void vanishedInterfaceDisconnectsItsConnectedPeersWithReasonInterfaceDown() {
        tracker.apply(scan(0, peer(ALICE, null, 0), peer(BOB, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 100), peer(BOB, null, 0)));
        List<PeerEvent> events = tracker.apply(empty(10));
        assertEquals(1, events.size());
        assertEquals(DisconnectReason.INTERFACE_DOWN, events.get(0).reason());
        assertEquals(List.of(), tracker.peers());
    }

    @Test
    void anUnreadableInterfaceKeepsItsPeersAsTheyWere() {
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 100)));
        Scan failed = new Scan(at(10), List.of(), List.of(new ScanFailure("wg0", "timed out")));
        assertEquals(List.of(), tracker.apply(failed));
        assertTrue(tracker.hasConnectedPeers());
    }

    @Test
    void aFailedListingChangesNothing() {
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 100)));
        Scan failed = new Scan(at(10), List.of(), List.of(new ScanFailure(null, "backend down")));
        assertEquals(List.of(), tracker.apply(failed));
        assertTrue(tracker.hasConnectedPeers());
    }

    @Test
    void theBaselineWaitsForAScanThatCouldListInterfaces() {
        tracker.apply(new Scan(at(0), List.of(), List.of(new ScanFailure(null, "backend down"))));
        assertEquals(List.of(), tracker.apply(scan(1, peer(ALICE, at(-5), 100))), "first real scan is the baseline");
        assertTrue(tracker.hasConnectedPeers());
    }

    @Test
    void anInterfaceUnreadableAtStartGetsItsBaselineWhenFirstRead() {
        tracker.apply(new Scan(at(0), List.of(), List.of(new ScanFailure("wg0", "timed out"))));
        assertEquals(List.of(), tracker.apply(scan(5, peer(ALICE, at(-5), 100))));
        assertTrue(tracker.hasConnectedPeers());
    }

    @Test
    void anInterfaceCreatedAfterStartReportsItsPeers() {
        tracker.apply(empty(0));
        List<PeerEvent> events = tracker.apply(scan(30, peer(ALICE, at(29), 100)));
        assertEquals(1, events.size());
        assertEquals(PeerEventType.CONNECTED, events.get(0).type());
    }

    @Test
    void aRoamIsReportedWithTheEndpointItLeft() {
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 100)));
        List<PeerEvent> events = tracker.apply(scan(5, peer(ALICE, at(1), 200, "198.51.100.7", 4000)));
        assertEquals(1, events.size());
        assertEquals(PeerEventType.ROAMED, events.get(0).type());
        assertEquals("198.51.100.7:4000", events.get(0).peer().endpointText());
        assertEquals(new EventDetail.Roamed("192.0.2.2:33612", 0), events.get(0).detail());
        assertEquals(List.of(), tracker.apply(scan(6, peer(ALICE, at(1), 300, "198.51.100.7", 4000))));
    }

    @Test
    void connectedEndpointsFollowTheConnectedPeers() throws Exception {
        tracker.apply(scan(0, peer(ALICE, null, 0), peer(BOB, null, 0, "192.0.2.3", 5000)));
        assertEquals(Set.of(), tracker.connectedEndpoints());
        tracker.apply(scan(1, peer(ALICE, at(1), 100), peer(BOB, null, 0, "192.0.2.3", 5000)));
        assertEquals(Set.of(new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 33612)),
                tracker.connectedEndpoints());
        tracker.apply(scan(200, peer(ALICE, at(1), 100), peer(BOB, null, 0, "192.0.2.3", 5000)));
        assertEquals(Set.of(), tracker.connectedEndpoints());
    }

    @Test
    void peersAreIndependentAndKeyedByInterfaceAndKey() {
        tracker.apply(new Scan(at(0), List.of(
                new Device("wg0", null, 3000, 0, List.of(peer(ALICE, null, 0))),
                new Device("wg1", null, 3001, 0, List.of(peer(ALICE, null, 0)))), List.of()));
        List<PeerEvent> events = tracker.apply(new Scan(at(5), List.of(
                new Device("wg0", null, 3000, 0, List.of(peer(ALICE, at(5), 10))),
                new Device("wg1", null, 3001, 0, List.of(peer(ALICE, null, 0)))), List.of()));
        assertEquals(1, events.size());
        assertEquals(new PeerKey("wg0", ALICE), events.get(0).key());
        assertEquals(2, tracker.peers().size());
    }

    @Test
    void everyEventGetsItsOwnDeliveryId() {
        tracker.apply(scan(0, peer(ALICE, null, 0), peer(BOB, null, 0)));
        List<PeerEvent> events = tracker.apply(scan(1, peer(ALICE, at(1), 1), peer(BOB, at(1), 1)));
        assertEquals(2, events.size());
        assertFalse(events.get(0).id().equals(events.get(1).id()));
    }

    @Test
    void rxGrowthIsDatedByTheLastPacketSeenFromThePeer() throws Exception {
        java.util.Map<InetSocketAddress, Instant> packets = new java.util.HashMap<>();
        tracker = new ConnectionTracker("node-1", IDLE, false, PeerNames.none(),
                () -> new UUID(0, idCounter.incrementAndGet()), packets::get, Instant.MAX);
        InetSocketAddress alice = new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 33612);
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        tracker.apply(scan(1, peer(ALICE, at(1), 100)));
        packets.put(alice, at(3));
        tracker.apply(scan(10, peer(ALICE, at(1), 200)));
        assertEquals(at(3), tracker.peers().get(0).lastActivity(), "dated by the packet, not the scan");
        assertEquals(PeerEventType.DISCONNECTED, tracker.apply(scan(183, peer(ALICE, at(1), 200))).get(0).type(),
                "idle-timeout after the last packet, not after the scan that saw its bytes");
    }

    @Test
    void aPacketTimeOutsideTheSpanIsNotTrusted() throws Exception {
        java.util.Map<InetSocketAddress, Instant> packets = new java.util.HashMap<>();
        tracker = new ConnectionTracker("node-1", IDLE, false, PeerNames.none(),
                () -> new UUID(0, idCounter.incrementAndGet()), packets::get, Instant.MAX);
        InetSocketAddress alice = new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 33612);
        tracker.apply(scan(0, peer(ALICE, null, 0)));
        tracker.apply(scan(5, peer(ALICE, at(5), 100)));
        packets.put(alice, at(2));
        tracker.apply(scan(10, peer(ALICE, at(5), 200)));
        assertEquals(at(10), tracker.peers().get(0).lastActivity(), "a packet older than the last activity");
        packets.put(alice, at(60));
        tracker.apply(scan(20, peer(ALICE, at(5), 300)));
        assertEquals(at(20), tracker.peers().get(0).lastActivity(), "a packet from the future");
    }
}
