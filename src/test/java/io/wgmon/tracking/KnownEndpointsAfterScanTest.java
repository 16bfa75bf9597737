package io.wgmon.tracking;

import org.junit.jupiter.api.Test;

import io.wgmon.wireguard.Peer;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KnownEndpointsAfterScanTest {
    private static final Instant HANDSHAKE = Instant.parse("2026-12-07T19:00:00Z");
    private int flushes;
    private final List<Map<InetSocketAddress, Instant>> learned = new ArrayList<>();
    private final KnownEndpointsAfterScan onDisconnect = new KnownEndpointsAfterScan(() -> flushes++, learned::add);

    private static PeerEvent event(PeerEventType type, DisconnectReason reason) {
        return new PeerEvent(UUID.randomUUID(), type, Instant.EPOCH, "host", new PeerKey("wg0", "key-" + UUID.randomUUID()),
                null, null, reason, null, null, null, null);
    }

    private void scanned(PeerEvent... events) {
        onDisconnect.scanned(List.of(events), false, List.of());
    }

    private static Peer peer(String address, int port, Instant handshake) {
        return new Peer("key-" + address, new InetSocketAddress(address, port), List.of("10.10.10.2/32"), handshake, 1,
                1, 0, 1);
    }

    private static PeerEvent event(PeerEventType type, Peer peer) {
        return new PeerEvent(UUID.randomUUID(), type, Instant.EPOCH, "host", new PeerKey("wg0", peer.publicKey()), peer,
                null, null, null, null, null, null);
    }

    private static PeerState connected(Peer peer) {
        return new PeerState(new PeerKey("wg0", peer.publicKey()), peer, HANDSHAKE, HANDSHAKE, true, null);
    }

    @Test
    void theEndpointsOfAConnectAndARoamBecomeKnownWithTheirHandshakeInOneCall() {
        Peer alice = peer("192.0.2.2", 40001, HANDSHAKE);
        Peer bob = peer("2001:db8::3", 40002, HANDSHAKE.plusSeconds(5));
        Peer carol = peer("192.0.2.4", 40003, HANDSHAKE);
        onDisconnect.scanned(List.of(event(PeerEventType.CONNECTED, alice), event(PeerEventType.ROAMED, bob),
                event(PeerEventType.HANDSHAKE_FAILED, carol)), false, List.of(connected(carol)));
        assertEquals(List.of(Map.of(alice.endpoint(), HANDSHAKE, bob.endpoint(), HANDSHAKE.plusSeconds(5))), learned);
        assertEquals(0, flushes);
    }

    @Test
    void theBaselineMakesEveryConnectedPeersEndpointKnown() {
        Peer alice = peer("192.0.2.2", 40001, HANDSHAKE);
        Peer never = new Peer("key-never", null, List.of("10.10.10.9/32"), null, 0, 0, 0, 1);
        Peer idle = peer("192.0.2.5", 40005, HANDSHAKE);
        onDisconnect.scanned(List.of(), true, List.of(connected(alice), connected(never),
                new PeerState(new PeerKey("wg0", idle.publicKey()), idle, null, HANDSHAKE, false, null)));
        assertEquals(List.of(Map.of(alice.endpoint(), HANDSHAKE)), learned);
    }

    @Test
    void aFlushIsFollowedByEveryConnectedPeersEndpointAgain() {
        Peer alice = peer("192.0.2.2", 40001, HANDSHAKE);
        onDisconnect.scanned(List.of(event(PeerEventType.DISCONNECTED, DisconnectReason.REMOVED)), false,
                List.of(connected(alice)));
        assertEquals(1, flushes);
        assertEquals(List.of(Map.of(alice.endpoint(), HANDSHAKE)), learned);
    }

    @Test
    void twoPeersBehindOneEndpointKeepItUntilTheEarlierHandshakeEnds() {
        Peer alice = peer("192.0.2.2", 40001, HANDSHAKE.plusSeconds(30));
        Peer bob = new Peer("key-bob", alice.endpoint(), List.of("10.10.10.3/32"), HANDSHAKE, 1, 1, 0, 1);
        scanned(event(PeerEventType.CONNECTED, alice), event(PeerEventType.CONNECTED, bob));
        assertEquals(List.of(Map.of(alice.endpoint(), HANDSHAKE)), learned);
    }

    @Test
    void anIdleDisconnectLeavesTheKnownEndpointsToExpire() {
        scanned(event(PeerEventType.DISCONNECTED, DisconnectReason.IDLE),
                event(PeerEventType.CONNECTED, (DisconnectReason) null));
        assertEquals(0, flushes);
    }

    @Test
    void aRemovedPeerFlushesThem() {
        scanned(event(PeerEventType.DISCONNECTED, DisconnectReason.REMOVED));
        assertEquals(1, flushes);
    }

    @Test
    void anInterfaceDownFlushesThem() {
        scanned(event(PeerEventType.DISCONNECTED, DisconnectReason.INTERFACE_DOWN));
        assertEquals(1, flushes);
    }

    @Test
    void aScanWithManySuchDisconnectsFlushesOnce() {
        scanned(event(PeerEventType.DISCONNECTED, DisconnectReason.INTERFACE_DOWN),
                event(PeerEventType.DISCONNECTED, DisconnectReason.INTERFACE_DOWN),
                event(PeerEventType.DISCONNECTED, DisconnectReason.REMOVED),
                event(PeerEventType.DISCONNECTED, DisconnectReason.IDLE));
        assertEquals(1, flushes);
    }

    @Test
    void aScanWithoutDisconnectsFlushesNothing() {
        scanned();
        scanned(event(PeerEventType.CONNECTED, (DisconnectReason) null), event(PeerEventType.ROAMED, (DisconnectReason) null));
        assertEquals(0, flushes);
        assertEquals(List.of(), learned, "events without a peer (canned) make nothing known");
    }
}
