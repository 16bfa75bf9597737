package io.wgmon.tracking;

import io.wgmon.store.SessionFilter;
import io.wgmon.store.SessionRow;
import io.wgmon.store.StoreDatabase;
import io.wgmon.store.StoreTransaction;
import io.wgmon.store.PeerStateTable;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.Scan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions as the scan path records them (docs/architecture.md#restarts): the tracker's events and state go
 * through {@link StoredTrackerState} into a real store, committed as the outbox commits them, and are read
 * back as rows; across a restart the saved session is continued or ended as the restored state decides.
 */
class SessionRecordingTest {
    private static final Duration IDLE = Duration.ofSeconds(180);
    private static final Instant T0 = Instant.parse("2026-11-25T23:00:00Z");
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";

    @TempDir
    Path dir;

    private final AtomicLong ids = new AtomicLong();

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Peer alice(Instant handshake, long rx, long tx, String host) {
        try {
            return new Peer(ALICE, new InetSocketAddress(InetAddress.getByName(host), 33612), List.of("10.10.10.2/32"),
                    handshake, rx, tx, 0, 1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Scan scan(long seconds, Peer... peers) {
        return new Scan(at(seconds), List.of(new Device("wg0", null, 3000, 0, List.of(peers))), List.of());
    }

    /** One run of wgmon over a store: tracker, saved state, and the outbox's commit of both. */
    private final class Run {
        final ConnectionTracker tracker;
        final StoredTrackerState state;
        final StoreDatabase database;

        Run(StoreDatabase database, long startedAt) {
            this.database = database;
            this.tracker = new ConnectionTracker("node-1", IDLE, false, key -> "alice",
                    () -> new UUID(0, ids.incrementAndGet()), endpoint -> null, at(-1000));
            this.state = new StoredTrackerState(database, IDLE, Clock.fixed(at(startedAt), ZoneOffset.UTC), opened -> { });
            tracker.restore(state.load());
        }

        List<PeerEvent> scan(Scan scan) {
            List<PeerEvent> events = tracker.apply(scan);
            StoreTransaction transaction = new StoreTransaction();
            transaction.add(PeerStateTable.write(state.changes(tracker.changed(), tracker.removed(), tracker.peers())
                    .with(state.sessions(events, tracker.changed(), tracker.peers(), scan.time()))));
            database.submit(transaction);
            return events;
        }

        void stop() {
            StoreTransaction transaction = new StoreTransaction();
            transaction.add(PeerStateTable.write(state.changes(tracker.peers(), true)));
            database.submit(transaction);
        }

        List<SessionRow> rows() {
            database.call(connection -> null);
            return database.sessions().page(new SessionFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), false, 100, Optional.empty()));
        }
    }

    @Test
    void aSessionIsOpenedRoamsAndEndsIdleWithItsBytesAndTheEventsCarryItsId() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            Run run = new Run(database, 0);
            run.scan(scan(0, alice(null, 500, 50, "192.0.2.2")));
            PeerEvent connected = run.scan(scan(10, alice(at(10), 600, 80, "192.0.2.2"))).get(0);
            assertEquals(PeerEventType.CONNECTED, connected.type());
            assertNotNull(connected.sessionId());
            List<PeerEvent> roamed = run.scan(scan(40, alice(at(10), 900, 100, "198.51.100.7")));
            assertEquals(List.of(PeerEventType.ROAMED), roamed.stream().map(PeerEvent::type).toList());
            assertEquals(connected.sessionId(), roamed.get(0).sessionId(), "a roam belongs to its session");
            PeerEvent disconnected = run.scan(scan(240, alice(at(10), 900, 100, "198.51.100.7"))).get(0);
            assertEquals(DisconnectReason.IDLE, disconnected.reason());
            assertEquals(connected.sessionId(), disconnected.sessionId());
            assertEquals(new SessionTraffic(400, 50), disconnected.traffic(),
                    "the growth since the scan before the connect: its handshake and first packets count");

            SessionRow row = run.rows().get(0);
            assertEquals(connected.sessionId(), row.id());
            assertEquals("alice", row.name());
            assertEquals(at(10), row.start());
            assertEquals(at(240), row.end());
            assertEquals("idle", row.endReason());
            assertEquals(400, row.rxBytes());
            assertEquals(50, row.txBytes());
            assertEquals("192.0.2.2:33612", row.endpoint());
            assertEquals(List.of(new SessionRow.EndpointAt(at(10), "192.0.2.2:33612"),
                    new SessionRow.EndpointAt(at(40), "198.51.100.7:33612")), row.endpoints());
        }
    }

    @Test
    void countersGoingBackEndTheSessionWithItsBytesAndStartANewOne() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            Run run = new Run(database, 0);
            run.scan(scan(0, alice(null, 500, 50, "192.0.2.2")));
            run.scan(scan(10, alice(at(10), 600, 80, "192.0.2.2")));
            run.scan(scan(20, alice(at(10), 700, 90, "192.0.2.2")));
            List<PeerEvent> reset = run.scan(scan(30, alice(at(30), 40, 10, "192.0.2.2")));
            assertEquals(List.of(PeerEventType.DISCONNECTED, PeerEventType.CONNECTED),
                    reset.stream().map(PeerEvent::type).toList());
            run.scan(scan(40, alice(at(30), 140, 30, "192.0.2.2")));
            List<SessionRow> rows = run.rows();
            assertEquals(2, rows.size());
            assertTrue(rows.get(0).open());
            assertEquals(reset.get(1).sessionId(), rows.get(0).id());
            assertEquals("interface-down", rows.get(1).endReason(), "no peer's counters grew: the device restarted");
            assertEquals(200, rows.get(1).rxBytes());
            assertEquals(40, rows.get(1).txBytes());
        }
    }

    /** A first run: alice connects at 10 s, is seen again at 20 s, and wgmon stops; her session's id. */
    private UUID aliceConnectedThenWgmonStopped() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            Run run = new Run(database, 0);
            run.scan(scan(0, alice(null, 500, 50, "192.0.2.2")));
            UUID id = run.scan(scan(10, alice(at(10), 600, 80, "192.0.2.2"))).get(0).sessionId();
            run.scan(scan(20, alice(at(10), 700, 90, "192.0.2.2")));
            run.stop();
            return id;
        }
    }

    @Test
    void aSessionAcrossAShortRestartContinuesWithTheSameIdAndItsFirstCounters() {
        UUID id = aliceConnectedThenWgmonStopped();
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            Run run = new Run(database, 60);
            assertEquals(List.of(), run.scan(scan(60, alice(at(10), 800, 95, "192.0.2.2"))));
            PeerEvent idle = run.scan(scan(300, alice(at(10), 800, 95, "192.0.2.2"))).get(0);
            assertEquals(id, idle.sessionId());
            SessionRow row = run.rows().get(0);
            assertEquals(id, row.id());
            assertEquals("idle", row.endReason(), "it went idle while wgmon ran");
            assertEquals(300, row.rxBytes());
            assertEquals(45, row.txBytes());
        }
    }

    @Test
    void aSessionThatWentIdleWhileWgmonWasDownEndsAsARestartGapAtItsLastActivity() {
        UUID id = aliceConnectedThenWgmonStopped();
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            Run run = new Run(database, 3600);
            PeerEvent idle = run.scan(scan(3600, alice(at(10), 700, 90, "192.0.2.2"))).get(0);
            assertEquals(DisconnectReason.IDLE, idle.reason(), "the event keeps the tracker's reason");
            assertEquals(id, idle.sessionId());
            SessionRow row = run.rows().get(0);
            assertEquals("wgmon-restart-gap", row.endReason());
            assertEquals(at(20), row.end(), "the last activity known");
            assertEquals(200, row.rxBytes());
            assertNull(run.tracker.peers().get(0).session());
        }
    }
}
