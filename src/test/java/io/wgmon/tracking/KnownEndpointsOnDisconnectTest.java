package io.wgmon.tracking;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KnownEndpointsOnDisconnectTest {
    private int flushes;
    private final KnownEndpointsOnDisconnect onDisconnect = new KnownEndpointsOnDisconnect(() -> flushes++);

    private static PeerEvent event(PeerEventType type, DisconnectReason reason) {
        return new PeerEvent(UUID.randomUUID(), type, Instant.EPOCH, "host", new PeerKey("wg0", "key-" + UUID.randomUUID()),
                null, null, reason, null, null, null, null);
    }

    @Test
    void anIdleDisconnectLeavesTheKnownEndpointsToExpire() {
        onDisconnect.scanned(List.of(event(PeerEventType.DISCONNECTED, DisconnectReason.IDLE),
                event(PeerEventType.CONNECTED, null)));
        assertEquals(0, flushes);
    }

    @Test
    void aRemovedPeerFlushesThem() {
        onDisconnect.scanned(List.of(event(PeerEventType.DISCONNECTED, DisconnectReason.REMOVED)));
        assertEquals(1, flushes);
    }

    @Test
    void anInterfaceDownFlushesThem() {
        onDisconnect.scanned(List.of(event(PeerEventType.DISCONNECTED, DisconnectReason.INTERFACE_DOWN)));
        assertEquals(1, flushes);
    }

    @Test
    void aScanWithManySuchDisconnectsFlushesOnce() {
        onDisconnect.scanned(List.of(event(PeerEventType.DISCONNECTED, DisconnectReason.INTERFACE_DOWN),
                event(PeerEventType.DISCONNECTED, DisconnectReason.INTERFACE_DOWN),
                event(PeerEventType.DISCONNECTED, DisconnectReason.REMOVED),
                event(PeerEventType.DISCONNECTED, DisconnectReason.IDLE)));
        assertEquals(1, flushes);
    }

    @Test
    void aScanWithoutDisconnectsFlushesNothing() {
        onDisconnect.scanned(List.of());
        onDisconnect.scanned(List.of(event(PeerEventType.CONNECTED, null), event(PeerEventType.ROAMED, null)));
        assertEquals(0, flushes);
    }
}
