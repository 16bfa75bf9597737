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
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tracker across a restart (docs/architecture.md#tracking), in logical time: a first run's state goes
 * through the stored row form ({@link StoredTrackerState#row}, {@link StoredTrackerState#state}) into a
 * second run's tracker, whose first scan reports what changed while wgmon was down, and nothing twice.
 */
class TrackerRestartTest {
    private static final Duration IDLE = Duration.ofSeconds(180);
    private static final Instant T0 = Instant.parse("2026-11-25T23:00:00Z");
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    private static final String BOB = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

    private final AtomicLong ids = new AtomicLong();

    private ConnectionTracker tracker(long startedAt) {
        return new ConnectionTracker("node-1", IDLE, false, PeerNames.none(),
                () -> new UUID(0, ids.incrementAndGet()), endpoint -> null, at(startedAt));
    }

    /** The first run stops at {@code stoppedAt}; a second starts at {@code startedAt} from its saved state. */
    private ConnectionTracker restart(ConnectionTracker first, long stoppedAt, long startedAt) {
        List<PeerState> saved = first.peers().stream()
                .map(state -> StoredTrackerState.state(StoredTrackerState.row(state, at(stoppedAt)))).toList();
        ConnectionTracker second = tracker(startedAt);
        second.restore(saved);
        return second;
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Peer peer(String key, Instant handshake, long rx) {
        try {
            return new Peer(key, new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 33612),
                    List.of("10.10.10.2/32"), handshake, rx, 92, 0, 1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Scan scan(long seconds, Peer... peers) {
        return new Scan(at(seconds), List.of(new Device("wg0", null, 3000, 0, List.of(peers))), List.of());
    }

    /** A first run that reported Alice connected at 10 (handshake at 10) and saw her last at 20. */
    private ConnectionTracker aliceReported() {
        ConnectionTracker first = tracker(-100);
        first.apply(scan(0, peer(ALICE, null, 0)));
        assertEquals(PeerEventType.CONNECTED, first.apply(scan(10, peer(ALICE, at(10), 100))).get(0).type());
        assertEquals(List.of(), first.apply(scan(20, peer(ALICE, at(10), 300))));
        return first;
    }

    private static List<String> describe(List<PeerEvent> events) {
        return events.stream().map(e -> e.type().wireName() + " " + (e.key().publicKey().equals(ALICE) ? "alice" : "bob")
                + (e.reason() == null ? "" : " " + e.reason().wireName())).toList();
    }

    @Test
    void aHandshakeSavedToTheMillisecondIsTheSameHandshake() {
        ConnectionTracker first = tracker(-100);
        first.apply(scan(0, peer(ALICE, null, 0)));
        Instant handshake = at(10).plusNanos(123_456_789);
        first.apply(scan(10, peer(ALICE, handshake, 100)));
        ConnectionTracker second = restart(first, 25, 200);
        assertEquals(List.of("peer.disconnected alice idle"), describe(second.apply(scan(201, peer(ALICE, handshake, 100)))),
                "the backend's nanoseconds are not a newer handshake than the saved milliseconds");
    }

    @Test
    void aRestartDoesNotReportAConnectAgain() {
        ConnectionTracker second = restart(aliceReported(), 25, 30);
        assertEquals(List.of(), second.apply(scan(31, peer(ALICE, at(10), 300))), "no second peer.connected");
        assertTrue(second.hasConnectedPeers());
        List<PeerEvent> idle = second.apply(scan(201, peer(ALICE, at(10), 300)));
        assertEquals(List.of("peer.disconnected alice idle"), describe(idle),
                "her connect was sent, so her disconnect is: idle since her last activity at 20");
        assertEquals(Duration.ofSeconds(191), idle.get(0).connectedFor(), "connected since 10, as saved");
    }

    @Test
    void aHandshakeDuringTheRestartOfAConnectedPeerIsActivityNotAConnect() {
        // she rekeys at 29, after the second run started (the no-state rule would call that a connect)
        ConnectionTracker second = restart(aliceReported(), 25, 28);
        assertEquals(List.of(), second.apply(scan(31, peer(ALICE, at(29), 900))));
        assertEquals(List.of(), second.apply(scan(200, peer(ALICE, at(29), 900))), "active at 31: not idle yet");
    }

    @Test
    void aConnectedPeerThatWentIdleWhileWgmonWasDownIsDisconnectedByTheFirstScan() {
        ConnectionTracker second = restart(aliceReported(), 25, 300);
        List<PeerEvent> events = second.apply(scan(301, peer(ALICE, at(10), 300)));
        assertEquals(List.of("peer.disconnected alice idle"), describe(events));
        assertEquals(at(301), events.get(0).time());
        assertEquals("192.0.2.2:33612", events.get(0).peer().endpointText(), "the saved endpoint");
    }

    @Test
    void counterGrowthWhileDownIsActivity() {
        ConnectionTracker second = restart(aliceReported(), 25, 300);
        assertEquals(List.of(), second.apply(scan(301, peer(ALICE, at(10), 5000))),
                "rx grew while wgmon was down: when is not known, so not idle yet");
    }

    @Test
    void aConnectedPeerRemovedWhileDownIsDisconnectedRemoved() {
        ConnectionTracker second = restart(aliceReported(), 25, 30);
        assertEquals(List.of("peer.disconnected alice removed"),
                describe(second.apply(scan(31, peer(BOB, null, 0)))));
    }

    @Test
    void aConnectedPeerWhoseInterfaceIsGoneIsDisconnectedInterfaceDown() {
        ConnectionTracker second = restart(aliceReported(), 25, 30);
        assertEquals(List.of("peer.disconnected alice interface-down"),
                describe(second.apply(new Scan(at(31), List.of(), List.of()))));
    }

    @Test
    void aDaemonRestartWhileDownIsDisconnectThenConnect() {
        ConnectionTracker second = restart(aliceReported(), 25, 60);
        assertEquals(List.of("peer.disconnected alice interface-down", "peer.connected alice"),
                describe(second.apply(scan(61, peer(ALICE, at(50), 40)))), "counters went back: a new session");
    }

    @Test
    void aHandshakeNewerThanTheSavedOneIsAConnect() {
        ConnectionTracker first = aliceReported();
        first.apply(scan(201, peer(ALICE, at(10), 300)));
        ConnectionTracker second = restart(first, 210, 260);
        assertEquals(List.of("peer.connected alice"), describe(second.apply(scan(261, peer(ALICE, at(240), 700)))),
                "she handshook at 240, while wgmon was down");
        assertEquals(List.of(), second.apply(scan(262, peer(ALICE, at(240), 800))));
    }

    @Test
    void aDisconnectedPeerWithTheSavedHandshakeStaysDisconnected() {
        ConnectionTracker first = aliceReported();
        first.apply(scan(201, peer(ALICE, at(10), 300)));
        ConnectionTracker second = restart(first, 210, 260);
        assertEquals(List.of(), second.apply(scan(261, peer(ALICE, at(10), 300))));
        assertEquals(List.of(), second.apply(scan(262, peer(BOB, null, 0))), "and leaves without a word");
    }

    @Test
    void aPeerTrackedSilentlyStaysSilentAcrossARestart() {
        ConnectionTracker first = tracker(0);
        assertEquals(List.of(), first.apply(scan(1, peer(ALICE, at(-5), 100))), "baseline: connected before wgmon");
        ConnectionTracker second = restart(first, 5, 10);
        assertEquals(List.of(), second.apply(scan(11, peer(ALICE, at(9), 200))),
                "her rekey at 9 is activity of a session wgmon never reported");
        assertEquals(List.of(), second.apply(scan(400, peer(ALICE, at(9), 200))), "idle: no disconnect either");
        assertEquals(List.of("peer.connected alice"), describe(second.apply(scan(401, peer(ALICE, at(401), 300)))));
    }

    @Test
    void aPeerAddedWhileDownThatConnectedIsReported() {
        ConnectionTracker second = restart(aliceReported(), 25, 60);
        assertEquals(List.of("peer.connected bob"),
                describe(second.apply(scan(61, peer(ALICE, at(10), 300), peer(BOB, at(40), 10)))),
                "wg0 is known: Bob's handshake at 40, before this run's start, is not a baseline");
    }

    @Test
    void anInterfaceUnreadableAtTheFirstScanKeepsItsSavedPeersUntilItAnswers() {
        ConnectionTracker second = restart(aliceReported(), 25, 300);
        assertEquals(List.of(), second.apply(new Scan(at(301), List.of(), List.of(new ScanFailure("wg0", "timeout")))));
        assertTrue(second.hasConnectedPeers());
        assertEquals(List.of("peer.disconnected alice idle"), describe(second.apply(scan(302, peer(ALICE, at(10), 300)))));
    }

    @Test
    void withoutSavedStateAHandshakeAfterTheStartIsAConnectAndOneBeforeIsTheBaseline() {
        ConnectionTracker fresh = tracker(30);
        assertEquals(List.of("peer.connected bob"),
                describe(fresh.apply(scan(31, peer(ALICE, at(10), 300), peer(BOB, at(30).plusMillis(1), 10)))));
        assertEquals(List.of("peer.disconnected bob idle"),
                describe(fresh.apply(scan(400, peer(ALICE, at(10), 300), peer(BOB, at(30).plusMillis(1), 10)))),
                "Alice's connect was never sent: neither is her disconnect");
    }

    @Test
    void restoringAfterTheFirstScanIsRefused() {
        ConnectionTracker tracker = tracker(0);
        tracker.apply(scan(1));
        try {
            tracker.restore(List.of());
        } catch (IllegalStateException expected) {
            return;
        }
        throw new AssertionError("restore after a scan must fail");
    }

    @Test
    void storedEndpointsReadBackAndBadOnesAreNull() {
        assertEquals("192.0.2.2:51820", io.wgmon.wireguard.Endpoints.format(StoredTrackerState.endpoint("192.0.2.2:51820")));
        assertEquals("[2001:db8::2]:51820",
                io.wgmon.wireguard.Endpoints.format(StoredTrackerState.endpoint("[2001:db8::2]:51820")));
        assertNull(StoredTrackerState.endpoint("example.com:51820"), "never a DNS lookup");
        assertNull(StoredTrackerState.endpoint("192.0.2.2:99999"));
        assertNull(StoredTrackerState.endpoint("nonsense"));
    }
}
