package io.wgmon.tracking;

import io.wgmon.store.PeerStateChanges;
import io.wgmon.store.PeerStateTable;
import io.wgmon.store.StoreDatabase;
import io.wgmon.store.StoreTransaction;
import io.wgmon.wireguard.Peer;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracker's state in a real store: saved after a scan and at shutdown, read back by the next start. */
class StoredTrackerStateTest {
    private static final Instant T0 = Instant.parse("2026-11-25T23:00:00Z");

    @TempDir
    Path dir;

    private static PeerState alice(long rx, long activity) throws Exception {
        Peer peer = new Peer("alice", new InetSocketAddress(InetAddress.getByName("2001:db8::2"), 51820),
                List.of("10.10.10.2/32"), T0, rx, 7, 25, 1);
        return new PeerState(new PeerKey("wg0", "alice"), peer, T0, T0.plusSeconds(activity), true, null);
    }

    private static PeerState withoutScanDetails(PeerState state) {
        Peer p = state.last();
        return new PeerState(state.key(), new Peer(p.publicKey(), p.endpoint(), List.of(), p.lastHandshake(),
                p.rxBytes(), p.txBytes(), 0, 1), state.connectedSince(), state.lastActivity(), state.reported(),
                state.session());
    }

    /** As the outbox writes them, in a transaction of their own here. */
    private static void save(StoreDatabase database, PeerStateChanges changes) {
        StoreTransaction transaction = new StoreTransaction();
        transaction.add(PeerStateTable.write(changes));
        database.submit(transaction);
    }

    @Test
    void stateSavedWithTheEventsAndFlushedAtShutdownIsLoadedByTheNextStart() throws Exception {
        Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            StoredTrackerState state = new StoredTrackerState(database, Duration.ofSeconds(180), clock, opened -> { });
            assertEquals(List.of(), state.load());
            save(database, state.changes(List.of(alice(100, 0)), false));
            assertTrue(state.changes(List.of(alice(200, 5)), false).isEmpty(),
                    "activity alone is written at most once per interval");
            save(database, state.changes(List.of(alice(300, 9)), true));
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            StoredTrackerState state = new StoredTrackerState(database, Duration.ofSeconds(180), clock, opened -> { });
            assertEquals(List.of(withoutScanDetails(alice(300, 9))), state.load(),
                    "the flushed activity; allowed IPs and keepalive come from the next scan");
            save(database, state.changes(List.of(), false));
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertEquals(List.of(), new StoredTrackerState(database, Duration.ofSeconds(180), clock, opened -> { }).load(),
                    "a peer no longer tracked is deleted");
        }
    }
}
