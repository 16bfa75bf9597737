package io.wgmon.tracking;

import io.wgmon.wireguard.Peer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PeerStateJournalTest {
    private static final Instant T0 = Instant.parse("2026-11-25T23:00:00Z");
    private static final PeerKey ALICE = new PeerKey("wg0", "alice");
    private static final PeerKey BOB = new PeerKey("wg0", "bob");

    private final PeerStateJournal journal = new PeerStateJournal(Duration.ofSeconds(18));

    private static PeerState connected(PeerKey key, long handshake, long rx, long activity) {
        Peer peer = new Peer(key.publicKey(), null, List.of(), T0.plusSeconds(handshake), rx, 0, 0, 1);
        return new PeerState(key, peer, T0, T0.plusSeconds(activity), true, null);
    }

    @Test
    void newPeersAreWrittenAndUnchangedOnesAreNot() {
        PeerState alice = connected(ALICE, 0, 10, 0);
        assertEquals(List.of(alice), journal.changes(List.of(alice), false).upserts());
        assertEquals(new PeerStateJournal.Changes(List.of(), List.of()), journal.changes(List.of(alice), false));
    }

    @Test
    void activityAloneIsWrittenAtMostOncePerInterval() {
        journal.changes(List.of(connected(ALICE, 0, 10, 0)), false);
        assertEquals(List.of(), journal.changes(List.of(connected(ALICE, 0, 20, 10)), false).upserts());
        PeerState later = connected(ALICE, 0, 30, 18);
        assertEquals(List.of(later), journal.changes(List.of(later), false).upserts());
    }

    @Test
    void aHandshakeOrADisconnectIsWrittenAtOnce() {
        journal.changes(List.of(connected(ALICE, 0, 10, 0)), false);
        PeerState rekeyed = connected(ALICE, 5, 20, 5);
        assertEquals(List.of(rekeyed), journal.changes(List.of(rekeyed), false).upserts());
        PeerState gone = rekeyed.disconnect();
        assertEquals(List.of(gone), journal.changes(List.of(gone), false).upserts());
    }

    @Test
    void countersGoingBackAreWrittenAtOnce() {
        journal.changes(List.of(connected(ALICE, 0, 10, 0)), false);
        PeerState reset = connected(ALICE, 0, 2, 0);
        assertEquals(List.of(reset), journal.changes(List.of(reset), false).upserts());
    }

    @Test
    void peersNoLongerTrackedAreDeleted() {
        journal.seed(List.of(connected(ALICE, 0, 10, 0), connected(BOB, 0, 10, 0)));
        assertEquals(List.of(BOB), journal.changes(List.of(connected(ALICE, 0, 10, 0)), false).deletes());
    }

    @Test
    void aFlushWritesActivityTooUnthrottled() {
        journal.changes(List.of(connected(ALICE, 0, 10, 0)), false);
        PeerState active = connected(ALICE, 0, 20, 3);
        assertEquals(List.of(), journal.changes(List.of(active), false).upserts());
        assertEquals(List.of(active), journal.changes(List.of(active), true).upserts());
        assertEquals(List.of(), journal.changes(List.of(active), true).upserts());
    }
}
