package io.wgmon.tracking;

import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.Scan;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A scan's work follows what changed (docs/architecture.md#tracking): the UAPI reader hands back the same
 * {@link Peer} for a peer whose lines did not change, and the tracker and what follows it look only at the
 * others, and at connected peers whose idle moment has come.
 */
class ScanWorkTest {
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
    private static final int PEERS = 1000;

    private final ConnectionTracker tracker = new ConnectionTracker("node-1", IDLE, true, PeerNames.none(),
            UUID::randomUUID, endpoint -> null, T0.minusSeconds(60));
    private final List<Peer> listed = new ArrayList<>();

    private static Peer peer(int n, Instant handshake, long rx) {
        byte[] key = new byte[32];
        key[0] = (byte) n;
        key[1] = (byte) (n >> 8);
        try {
            return new Peer(Base64.getEncoder().encodeToString(key),
                    new InetSocketAddress(InetAddress.getByAddress(new byte[]{10, 0, (byte) (n >> 8), (byte) n}), 51820),
                    List.of("10.1.0.0/32"), handshake, rx, 92, 25, 1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A read as a backend that decodes every peer anew gives it: equal peers, new objects. */
    private List<PeerEvent> scan(long seconds) {
        List<Peer> read = listed.stream().map(p -> new Peer(p.publicKey(), p.endpoint(), p.allowedIps(), p.lastHandshake(),
                p.rxBytes(), p.txBytes(), p.persistentKeepalive(), p.protocolVersion())).toList();
        return tracker.apply(new Scan(T0.plusSeconds(seconds), List.of(new Device("wg0", null, 3000, 0, read)), List.of()));
    }

    private void connectAll() {
        for (int n = 0; n < PEERS; n++) {
            listed.add(peer(n, T0, 1000));
        }
        assertEquals(PEERS, scan(1).size(), "every peer connects");
    }

    @Test
    void aPeerListedAsTheLastReadListedItIsNotLookedAt() {
        connectAll();
        List<PeerState> before = tracker.peers();
        listed.set(7, peer(7, T0.plusSeconds(2), 2000)); // one peer rekeyed; the others are listed as before

        assertEquals(List.of(), scan(2));

        assertEquals(1, tracker.changed().size(), "only the rekeyed peer's state is new");
        assertEquals(listed.get(7), tracker.changed().get(0).last());
        for (PeerState state : tracker.peers()) {
            if (!state.key().publicKey().equals(listed.get(7).publicKey())) {
                assertSame(before.stream().filter(b -> b.key().equals(state.key())).findFirst().orElseThrow(), state);
            }
        }
    }

    @Test
    void aScanInWhichNothingChangedPublishesNothingNew() {
        connectAll();
        List<PeerState> before = tracker.peers();

        assertEquals(List.of(), scan(2));

        assertEquals(List.of(), tracker.changed());
        assertEquals(List.of(), tracker.removed());
        assertSame(before, tracker.peers(), "the same published list");
    }

    @Test
    void aPeerThatDidNotChangeIsStillReportedIdleAtItsDeadline() {
        connectAll();
        listed.set(7, peer(7, T0.plusSeconds(5), 2000));
        scan(5);

        assertEquals(List.of(), scan(10));
        List<PeerEvent> atDeadline = scan(11); // idle-timeout after the connects: every peer but the one that rekeyed
        assertEquals(PEERS - 1, atDeadline.size());
        atDeadline.forEach(event -> assertEquals(DisconnectReason.IDLE, event.reason()));
        assertEquals(PEERS - 1, tracker.changed().size(), "the idle peers' states, and no other");

        assertEquals(List.of(), scan(14));
        List<PeerEvent> later = scan(15);
        assertEquals(1, later.size(), "the rekeyed peer, idle-timeout after its handshake");
        assertEquals(listed.get(7).publicKey(), later.get(0).key().publicKey());
    }

    @Test
    void aPeerGoneFromTheListIsRemovedThoughEveryOtherIsUnchanged() {
        connectAll();
        Peer gone = listed.remove(500);

        List<PeerEvent> events = scan(2);

        assertEquals(1, events.size());
        assertEquals(DisconnectReason.REMOVED, events.get(0).reason());
        assertEquals(List.of(new PeerKey("wg0", gone.publicKey())), tracker.removed());
        assertEquals(List.of(), tracker.changed());
    }

    @Test
    void aKeyADaemonListsTwiceConnectsOnce() {
        listed.add(peer(1, T0, 1000));
        listed.add(peer(1, T0, 1000));

        assertEquals(1, scan(1).size());
    }
}
