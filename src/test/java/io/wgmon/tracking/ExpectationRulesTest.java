package io.wgmon.tracking;

import io.wgmon.store.StoreDatabase;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.Scan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Always-on peers and quotas in the logical time of the scans; restarts through a real store. */
class ExpectationRulesTest {
    private static final Instant T0 = Instant.parse("2026-11-30T23:00:00Z");
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    private static final String BOB = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final PeerKey ALICE_KEY = new PeerKey("wg0", ALICE);
    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final PeerNames NAMES = key -> key.publicKey().equals(ALICE) ? "alice" : null;
    /** Alice is always-on (grace 5 min), Bob is not. */
    private static final PeerExpectations EXPECT = key -> key.publicKey().equals(ALICE)
            ? new Expectation(true, GRACE, false) : Expectation.NONE;
    private static final InetSocketAddress ENDPOINT = new InetSocketAddress("192.0.2.2", 51820);

    @TempDir
    Path dir;

    private ConnectionTracker tracker = tracker();
    private ExpectationRules rules = rules(ExpectationStore.none(), Map.of());

    private static ConnectionTracker tracker() {
        return new ConnectionTracker("node-1", Duration.ofSeconds(180), false, NAMES, UUID::randomUUID,
                endpoint -> null, Instant.MAX);
    }

    private static ExpectationRules rules(ExpectationStore store, Map<String, QuotaRule> quotas) {
        return new ExpectationRules(new AlwaysOnWatch("node-1", NAMES, EXPECT, UUID::randomUUID),
                new QuotaWatch("node-1", NAMES, new QuotaRules(quotas), UUID::randomUUID), store,
                () -> T0);
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Peer alice(Long handshake, long rx, long tx) {
        return new Peer(ALICE, ENDPOINT, List.of("10.10.10.2/32"), handshake == null ? null : at(handshake), rx, tx, 25, 1);
    }

    private static Peer alice(Long handshake) {
        return alice(handshake, 0, 0);
    }

    private static Peer bob(Long handshake) {
        return new Peer(BOB, null, List.of("10.10.10.3/32"), handshake == null ? null : at(handshake), 0, 0, 0, 1);
    }

    private List<PeerEvent> scan(long seconds, Peer... peers) {
        Scan scan = new Scan(at(seconds), List.of(new Device("wg0", null, 3000, 0, List.of(peers))), List.of());
        List<PeerEvent> tracked = tracker.apply(scan);
        return rules.apply(tracked, List.of(), scan.time(), tracker.peers());
    }

    private static List<PeerEventType> types(List<PeerEvent> events) {
        return events.stream().map(PeerEvent::type).toList();
    }

    @Test
    void anAlwaysOnPeerIsDownOnceAfterItsGraceAndUpWhenItHandshakesAgain() {
        rules.restore();
        assertEquals(List.of(), scan(0, alice(0L), bob(null)));
        assertEquals(Optional.of(at(300)), rules.nextDue(), "the grace from the last handshake, for the one timer");
        assertEquals(List.of(), scan(299, alice(0L), bob(null)));
        List<PeerEvent> down = scan(300, alice(0L), bob(null));
        assertEquals(List.of(PeerEventType.DOWN), types(down));
        assertEquals(ALICE, down.get(0).publicKey());
        assertEquals("alice", down.get(0).name());
        assertEquals(new EventDetail.Down(at(0), GRACE), down.get(0).detail());
        assertEquals(Set.of(ALICE_KEY), rules.down());
        assertEquals(Optional.empty(), rules.nextDue(), "nothing is due while it is down: no timer at rest");
        assertEquals(List.of(), scan(3600, alice(0L), bob(null)), "down is reported once");
        List<PeerEvent> up = scan(4000, alice(3990L), bob(null));
        assertEquals(List.of(PeerEventType.UP), types(up));
        assertEquals(new EventDetail.Up(Duration.ofSeconds(3990)), up.get(0).detail(), "how long it was without");
        assertEquals(Set.of(), rules.down());
        assertEquals(Optional.of(at(3990 + 300)), rules.nextDue());
    }

    @Test
    void withNoAlwaysOnPeerAScanLooksAtNoPeer() {
        AtomicInteger looked = new AtomicInteger();
        AtomicBoolean marked = new AtomicBoolean();
        PeerExpectations expectations = new PeerExpectations() {
            @Override
            public Expectation of(PeerKey key) {
                looked.incrementAndGet();
                return marked.get() && key.publicKey().equals(ALICE) ? new Expectation(true, GRACE, false)
                        : Expectation.NONE;
            }

            @Override
            public boolean anyAlwaysOn() {
                return marked.get();
            }
        };
        rules = new ExpectationRules(new AlwaysOnWatch("node-1", NAMES, expectations, UUID::randomUUID),
                new QuotaWatch("node-1", NAMES, new QuotaRules(Map.of()), UUID::randomUUID), ExpectationStore.none(),
                () -> T0);
        scan(0, alice(0L), bob(null));
        assertEquals(0, looked.get(), "no always-on peer: the pass is skipped");
        marked.set(true);
        assertEquals(List.of(PeerEventType.DOWN), types(scan(300, alice(0L), bob(null))), "marked later, watched at once");
        marked.set(false);
        scan(400, alice(0L), bob(null));
        assertEquals(Set.of(), rules.down(), "a down peer no longer marked is forgotten, so the pass ran");
    }

    @Test
    void handshakesWithinTheGraceKeepItUpAndMoveTheDeadline() {
        scan(0, alice(0L));
        assertEquals(List.of(), scan(200, alice(190L)));
        assertEquals(Optional.of(at(490)), rules.nextDue());
        assertEquals(List.of(), scan(480, alice(470L)));
        assertEquals(List.of(), scan(700, alice(470L)));
        assertEquals(Optional.of(at(770)), rules.nextDue());
    }

    @Test
    void anAlwaysOnPeerThatNeverHandshakesIsDownAGraceAfterWgmonBeganToWatchIt() {
        scan(100, alice(null));
        assertEquals(Optional.of(at(400)), rules.nextDue());
        List<PeerEvent> down = scan(400, alice(null));
        assertEquals(List.of(PeerEventType.DOWN), types(down));
        assertEquals(new EventDetail.Down(null, GRACE), down.get(0).detail());
        List<PeerEvent> up = scan(500, alice(450L));
        assertEquals(new EventDetail.Up(Duration.ofSeconds(350)), up.get(0).detail());
    }

    @Test
    void aPeerWithoutExpectationsNeverGoesDownAndSetsNoDeadline() {
        assertEquals(List.of(), scan(0, bob(0L)));
        assertEquals(List.of(), scan(100_000, bob(0L)));
        assertEquals(Optional.empty(), rules.nextDue());
    }

    @Test
    void aPeerDownBeforeARestartIsNotDownAgainAndItsUpComes() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            rules = rules(new StoredExpectations(database), Map.of());
            rules.restore();
            scan(0, alice(0L));
            assertEquals(List.of(PeerEventType.DOWN), types(scan(300, alice(0L))));
            database.call(connection -> null); // the writes before it are committed
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            tracker = tracker();
            rules = rules(new StoredExpectations(database), Map.of());
            rules.restore();
            assertEquals(Set.of(ALICE_KEY), rules.down(), "known down from the store");
            assertEquals(List.of(), scan(1000, alice(0L)), "not reported down twice");
            List<PeerEvent> up = scan(1100, alice(1090L));
            assertEquals(List.of(PeerEventType.UP), types(up.stream().filter(e -> e.type() != PeerEventType.CONNECTED)
                    .toList()));
            database.call(connection -> null);
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            rules = rules(new StoredExpectations(database), Map.of());
            rules.restore();
            assertEquals(Set.of(), rules.down(), "up is remembered too");
        }
    }

    /** Alice connected at 1 s with no bytes yet; her session's bytes are what her counters grow by. */
    private void aliceConnected() {
        rules.restore();
        scan(0, alice(null));
        assertEquals(List.of(PeerEventType.CONNECTED), types(tracker.apply(new Scan(at(1), List.of(new Device("wg0",
                null, 3000, 0, List.of(alice(1L)))), List.of()))));
    }

    @Test
    void aQuotaIsReportedOncePerThresholdAndPeriod() {
        rules = rules(ExpectationStore.none(), Map.of("alice", new QuotaRule(1000, QuotaPeriod.DAY, List.of(80, 100))));
        aliceConnected();
        assertEquals(List.of(), scan(10, alice(1L, 500, 200)));
        List<PeerEvent> eighty = scan(20, alice(1L, 600, 200));
        assertEquals(List.of(PeerEventType.QUOTA), types(eighty));
        assertEquals(new EventDetail.Quota(80, 800, 1000, Instant.parse("2026-11-30T00:00:00Z")), eighty.get(0).detail());
        assertEquals(List.of(), scan(30, alice(1L, 650, 200)), "once per threshold");
        assertEquals(Map.of(ALICE_KEY, 80), rules.quotaReached());
        List<PeerEvent> hundred = scan(40, alice(1L, 900, 200));
        assertEquals(new EventDetail.Quota(100, 1100, 1000, Instant.parse("2026-11-30T00:00:00Z")),
                hundred.get(0).detail());
        assertEquals(List.of(), scan(50, alice(1L, 5000, 200)));
        // a new day: the open session counts only what it moves from the day's first scan on
        assertEquals(List.of(), scan(3700, alice(3650L, 5000, 300)), "a new period begins at zero");
        assertEquals(Map.of(), rules.quotaReached());
        List<PeerEvent> next = scan(3800, alice(3650L, 5700, 400));
        assertEquals(new EventDetail.Quota(80, 800, 1000, Instant.parse("2026-12-01T00:00:00Z")), next.get(0).detail(),
                "the next period's 80 %");
    }

    @Test
    void crossingSeveralThresholdsInOneScanIsOneEventForTheHighest() {
        rules = rules(ExpectationStore.none(), Map.of(QuotaRules.DEFAULT,
                new QuotaRule(1000, QuotaPeriod.MONTH, List.of(50, 80, 100))));
        aliceConnected();
        List<PeerEvent> events = scan(10, alice(1L, 900, 0));
        assertEquals(List.of(PeerEventType.QUOTA), types(events));
        assertEquals(80, ((EventDetail.Quota) events.get(0).detail()).thresholdPercent());
    }

    @Test
    void thresholdsAreRememberedAcrossARestartAndEndedSessionsAreReadFromTheStore() {
        Map<String, QuotaRule> quota = Map.of(ALICE, new QuotaRule(1000, QuotaPeriod.MONTH, List.of(80, 100)));
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            rules = rules(new StoredExpectations(database), quota);
            aliceConnected();
            assertEquals(List.of(PeerEventType.QUOTA), types(scan(10, alice(1L, 700, 150))));
            database.call(connection -> null);
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            // a session of Alice's that ended this month with 150 bytes, one that ended last month
            database.call(connection -> {
                try (var statement = connection.createStatement()) {
                    statement.execute("INSERT INTO session (id, interface, public_key, start_time, end_time, rx_bytes, "
                            + "tx_bytes) VALUES ('a', 'wg0', '" + ALICE + "', " + at(-40 * 86400 - 3600).toEpochMilli() + ", "
                            + at(-40 * 86400).toEpochMilli() + ", 1000000, 1000000), ('b', 'wg0', '" + ALICE + "', "
                            + at(20).toEpochMilli() + ", " + at(30).toEpochMilli() + ", 100, 50)");
                }
                return null;
            });
            tracker = tracker();
            rules = rules(new StoredExpectations(database), quota);
            rules.restore();
            assertEquals(List.of(), scan(1000, alice(null)));
            assertEquals(List.of(PeerEventType.CONNECTED), types(tracker.apply(new Scan(at(1001), List.of(
                    new Device("wg0", null, 3000, 0, List.of(alice(1001L)))), List.of()))));
            assertEquals(List.of(), scan(1010, alice(1001L, 700, 0)), "150 + 700 is 85 %: 80 % was reported already");
            List<PeerEvent> hundred = scan(1020, alice(1001L, 800, 50));
            assertEquals(List.of(PeerEventType.QUOTA), types(hundred));
            assertEquals(1000, ((EventDetail.Quota) hundred.get(0).detail()).usedBytes(),
                    "150 ended this month + 850 open; last month's session does not count");
        }
    }

    @Test
    void thePageSeesStaleAndNeverConnectedPeersUntilTheyHandshake() {
        HistoryWatch history = new HistoryWatch("node-1", NAMES, Duration.ofHours(1), false, UUID::randomUUID);
        Scan first = new Scan(at(0), List.of(new Device("wg0", null, 3000, 0, List.of(alice(null), bob(0L)))), List.of());
        history.apply(tracker.apply(first), first.time(), tracker.changed(), tracker.peers());
        assertEquals(Map.of(), history.stale(), "not before stale-after");
        Scan later = new Scan(at(3600), List.of(new Device("wg0", null, 3000, 0, List.of(alice(null), bob(0L)))),
                List.of());
        history.apply(tracker.apply(later), later.time(), tracker.changed(), tracker.peers());
        assertEquals(Map.of(ALICE_KEY, true, new PeerKey("wg0", BOB), false), history.stale());
        Scan back = new Scan(at(3700), List.of(new Device("wg0", null, 3000, 0, List.of(alice(null), bob(3650L)))),
                List.of());
        history.apply(tracker.apply(back), back.time(), tracker.changed(), tracker.peers());
        assertEquals(Map.of(ALICE_KEY, true), history.stale(), "a handshake ends the mark");
    }
}
