package io.wgmon.tracking;

import io.wgmon.store.StoreDatabase;
import io.wgmon.timing.ManualTimers;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.Scan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Roam limits, endpoint conflicts, stale and first-seen peers, in the logical time of the scans. */
class EventRulesTest {
    private static final Instant T0 = Instant.parse("2026-11-25T23:00:00Z");
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    private static final String BOB = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final Duration STALE = Duration.ofHours(1);

    @TempDir
    Path dir;

    private static final PeerNames NAMES = key -> key.publicKey().equals(ALICE) ? "alice" : null;

    private ConnectionTracker tracker = tracker();
    private EventRules rules = rules(HistoryStore.none(), false);
    private long rx;
    private InetSocketAddress lastEndpoint;

    private static ConnectionTracker tracker() {
        return new ConnectionTracker("node-1", Duration.ofSeconds(180), false, NAMES, UUID::randomUUID,
                endpoint -> null, Instant.MAX);
    }

    private static EventRules rules(HistoryStore store, boolean firstSeen) {
        return new EventRules(new EndpointWatch(UUID::randomUUID),
                new HistoryWatch("node-1", NAMES, STALE, firstSeen, UUID::randomUUID), store,
                ExpectationRules.none());
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** Alice as a scan sees her; a changed endpoint comes with traffic (rx growth), as a roam does. */
    private Peer alice(Instant handshake, String host) {
        try {
            InetSocketAddress endpoint = new InetSocketAddress(InetAddress.getByName(host), 51820);
            if (!endpoint.equals(lastEndpoint)) {
                rx += 100;
                lastEndpoint = endpoint;
            }
            return new Peer(ALICE, endpoint, List.of("10.10.10.2/32"), handshake, rx, 92, 0, 1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Peer bob(Instant handshake) {
        return new Peer(BOB, null, List.of("10.10.10.3/32"), handshake, 0, 0, 0, 1);
    }

    private List<PeerEvent> scan(long seconds, Peer... peers) {
        Scan scan = new Scan(at(seconds), List.of(new Device("wg0", null, 3000, 0, List.of(peers))), List.of());
        return rules.apply(tracker.apply(scan), scan.time(), tracker.changed(), tracker.peers());
    }

    private static List<PeerEventType> types(List<PeerEvent> events) {
        return events.stream().map(PeerEvent::type).toList();
    }

    /** Alice connected from 192.0.2.2 at 1 s. */
    private void connected() {
        rules.restore();
        scan(0, alice(null, "192.0.2.2"));
        assertEquals(List.of(PeerEventType.CONNECTED), types(scan(1, alice(at(1), "192.0.2.2"))));
    }

    @Test
    void aRoamIsReportedAtMostOncePerMinuteTheRestCountedInTheNext() {
        connected();
        List<PeerEvent> first = scan(5, alice(at(1), "198.51.100.1"));
        assertEquals(List.of(PeerEventType.ROAMED), types(first));
        assertEquals(new EventDetail.Roamed("192.0.2.2:51820", 0), first.get(0).detail());
        assertEquals(List.of(), scan(20, alice(at(1), "198.51.100.2")));
        assertEquals(List.of(), scan(64, alice(at(1), "198.51.100.3")));
        List<PeerEvent> next = scan(65, alice(at(1), "198.51.100.4"));
        assertEquals(List.of(PeerEventType.ROAMED), types(next));
        assertEquals(new EventDetail.Roamed("198.51.100.3:51820", 2), next.get(0).detail());
        assertEquals("198.51.100.4:51820", next.get(0).peer().endpointText());
    }

    @Test
    void oneKeyGoingBackAndForthBetweenTwoEndpointsIsAConflictOncePerWindow() {
        connected();
        scan(5, alice(at(1), "198.51.100.1"));
        assertEquals(List.of(), types(scan(10, alice(at(1), "192.0.2.2"))), "a roam and back is no conflict");
        List<PeerEvent> third = scan(15, alice(at(1), "198.51.100.1"));
        assertEquals(List.of(PeerEventType.ENDPOINT_CONFLICT), types(third));
        assertEquals(new EventDetail.EndpointConflict(List.of("192.0.2.2:51820", "198.51.100.1:51820"), 3,
                Duration.ofMinutes(10)), third.get(0).detail());
        assertEquals("alice", third.get(0).name());
        for (int flip = 0; flip < 20; flip++) {
            assertEquals(List.of(), types(scan(20 + flip * 5, alice(at(1), flip % 2 == 0 ? "192.0.2.2" : "198.51.100.1")))
                    .stream().filter(type -> type == PeerEventType.ENDPOINT_CONFLICT).toList(), "once per window");
        }
        List<PeerEvent> later = scan(15 + 601, alice(at(1), "192.0.2.2"));
        assertTrue(types(later).contains(PeerEventType.ENDPOINT_CONFLICT), "a new window, still flipping: " + later);
    }

    @Test
    void aClientRoamingThroughManyPlacesIsNoConflict() {
        connected();
        for (int place = 1; place <= 30; place++) {
            List<PeerEvent> events = scan(place * 10L, alice(at(1), "198.51.100." + place));
            assertTrue(!types(events).contains(PeerEventType.ENDPOINT_CONFLICT), "place " + place + ": " + events);
        }
    }

    @Test
    void aPeerNeverConnectingIsStaleOncePerPeriodAndNothingIsDueBefore() {
        rules.restore();
        assertEquals(List.of(), scan(0, bob(null)));
        assertEquals(Optional.of(at(3600)), rules.nextDue());
        assertEquals(List.of(), scan(3599, bob(null)));
        List<PeerEvent> stale = scan(3600, bob(null));
        assertEquals(List.of(PeerEventType.STALE), types(stale));
        assertEquals(new EventDetail.Stale(null, true, STALE, at(0)), stale.get(0).detail());
        assertEquals(Optional.of(at(7200)), rules.nextDue());
        assertEquals(List.of(), scan(3610, bob(null)), "once per period");
        assertEquals(List.of(PeerEventType.STALE), types(scan(7200, bob(null))));
    }

    @Test
    void aPeerIsStaleAnHourAfterItsLastHandshakeAndNotWhileItHandshakes() {
        connected();
        assertEquals(Optional.empty(), rules.nextDue(), "connected");
        assertEquals(List.of(PeerEventType.DISCONNECTED), types(scan(400, alice(at(1), "192.0.2.2"))));
        assertEquals(Optional.of(at(3601)), rules.nextDue());
        List<PeerEvent> stale = scan(3601, alice(at(1), "192.0.2.2"));
        assertEquals(List.of(PeerEventType.STALE), types(stale));
        assertEquals(new EventDetail.Stale(at(1), false, STALE, at(0)), stale.get(0).detail());
        assertEquals(List.of(PeerEventType.CONNECTED), types(scan(4000, alice(at(3990), "192.0.2.2"))));
        assertEquals(Optional.empty(), rules.nextDue());
        scan(4300, alice(at(3990), "192.0.2.2"));
        assertEquals(Optional.of(at(3990 + 3600)), rules.nextDue(), "from the last handshake, after the disconnect");
    }

    @Test
    void aConnectedPeerIsNotStaleAndSetsNoDeadline() {
        connected();
        for (int second = 60; second <= 7200; second += 60) {
            rx += 10; // traffic keeps it connected, without a new handshake
            assertEquals(List.of(), scan(second, alice(at(1), "192.0.2.2")), "at " + second);
            assertEquals(Optional.empty(), rules.nextDue(), "at " + second);
        }
    }

    @Test
    void theStaleDeadlineIsOneOneShotTimer() {
        ManualTimers timers = new ManualTimers(T0);
        AtomicInteger due = new AtomicInteger();
        rules.restore();
        scan(0, bob(null));
        DeadlineTimer timer = new DeadlineTimer(timers, Duration.ofSeconds(5), rules::nextDue, due::incrementAndGet);
        timer.rearm();
        assertEquals(List.of(STALE), timers.pending(), "one timer, for the earliest due");
        timers.advance(STALE.minusSeconds(1));
        assertEquals(0, due.get());
        timers.advance(Duration.ofSeconds(1));
        assertEquals(1, due.get());
        assertEquals(List.of(), timers.pending(), "nothing else runs until the scan it asked for");
    }

    @Test
    void firstSeenOnlyForAKeyThatNeverHandshookAndRememberedInTheStore() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            rules = rules(new StoredHistory(database), true);
            rules.restore();
            scan(0, alice(null, "192.0.2.2"), bob(null));
            List<PeerEvent> first = scan(1, alice(at(1), "192.0.2.2"), bob(null));
            assertEquals(List.of(PeerEventType.CONNECTED, PeerEventType.FIRST_SEEN), types(first));
            assertEquals(new EventDetail.FirstSeen(at(0)), first.get(1).detail());
            scan(400, alice(at(1), "192.0.2.2"), bob(null));
            assertEquals(List.of(PeerEventType.CONNECTED), types(scan(500, alice(at(499), "192.0.2.2"), bob(null))),
                    "the second connect is not a first");
            database.call(connection -> null); // the writes before it are committed
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            tracker = tracker();
            rules = rules(new StoredHistory(database), true);
            rules.restore();
            scan(1000, alice(null, "192.0.2.2"), bob(null));
            assertEquals(List.of(PeerEventType.CONNECTED), types(scan(1001, alice(at(1001), "192.0.2.2"), bob(null))),
                    "known from the store");
            List<PeerEvent> bobFirst = scan(1002, alice(at(1001), "192.0.2.2"), bob(at(1002)));
            assertEquals(List.of(PeerEventType.CONNECTED, PeerEventType.FIRST_SEEN), types(bobFirst));
            assertEquals(new EventDetail.FirstSeen(at(0)), bobFirst.get(1).detail(), "first seen configured at 0");
            List<PeerEvent> collected = new ArrayList<>(bobFirst);
            assertEquals(BOB, collected.get(1).publicKey());
        }
    }
}
