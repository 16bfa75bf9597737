package io.wgmon.delivery;

import io.wgmon.tracking.DisconnectReason;
import io.wgmon.tracking.EventDetail;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.tracking.PeerKey;
import io.wgmon.wireguard.Peer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Peer events for tests. */
public final class TestEvents {
    public static final String KEY = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    public static final Instant TIME = Instant.parse("2026-11-25T23:52:51.450Z");
    public static final Instant HANDSHAKE = Instant.parse("2026-11-25T23:52:51.987654321Z");

    private TestEvents() {
    }

    public static InetSocketAddress endpoint(String address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Peer peer(String publicKey, InetSocketAddress endpoint, Instant lastHandshake, long rxBytes) {
        return new Peer(publicKey, endpoint, List.of("10.10.10.2/32", "fd00::2/128"), lastHandshake, rxBytes, 92, 25, 1);
    }

    public static PeerEvent connected() {
        return event(PeerEventType.CONNECTED, peer(KEY, endpoint("192.0.2.2", 33612), HANDSHAKE, 180), "alice-laptop");
    }

    public static PeerEvent event(PeerEventType type, Peer peer, String name) {
        return new PeerEvent(UUID.randomUUID(), type, TIME, "node-1", new PeerKey("wg0", peer.publicKey()),
                peer, name, null, null, null);
    }

    public static PeerEvent disconnected(DisconnectReason reason, Duration connectedFor) {
        Peer peer = peer(KEY, endpoint("192.0.2.2", 33612), HANDSHAKE, 180);
        return new PeerEvent(UUID.randomUUID(), PeerEventType.DISCONNECTED, TIME, "node-1",
                new PeerKey("wg0", KEY), peer, "alice-laptop", reason, connectedFor, null);
    }

    /** One event of each type, with the facts of its kind (a source event for handshake.failed). */
    public static Map<PeerEventType, PeerEvent> everyKind() {
        Peer peer = peer(KEY, endpoint("192.0.2.2", 33612), HANDSHAKE, 180);
        Instant day = Instant.parse("2026-11-01T00:00:00Z");
        Map<PeerEventType, PeerEvent> events = new EnumMap<>(PeerEventType.class);
        events.put(PeerEventType.CONNECTED, connected());
        events.put(PeerEventType.DISCONNECTED, disconnected(DisconnectReason.IDLE, Duration.ofMinutes(133)));
        events.put(PeerEventType.ROAMED, detailed(PeerEventType.ROAMED, peer,
                new EventDetail.Roamed("198.51.100.7:51820", 3)));
        events.put(PeerEventType.ENDPOINT_CONFLICT, detailed(PeerEventType.ENDPOINT_CONFLICT, peer,
                new EventDetail.EndpointConflict(List.of("192.0.2.2:33612", "203.0.113.5:40000"), 4,
                        Duration.ofMinutes(10))));
        events.put(PeerEventType.HANDSHAKE_FAILED, PeerEvent.aboutSource(UUID.randomUUID(),
                PeerEventType.HANDSHAKE_FAILED, TIME, "node-1", "wg0", new EventDetail.HandshakeFailed(
                        "203.0.113.9:4242", 12, 12, 0, TIME.minusSeconds(30), TIME, 5)));
        events.put(PeerEventType.STALE, detailed(PeerEventType.STALE, peer,
                new EventDetail.Stale(null, true, Duration.ofDays(30), day)));
        events.put(PeerEventType.DOWN, detailed(PeerEventType.DOWN, peer,
                new EventDetail.Down(TIME.minusSeconds(300), Duration.ofMinutes(5))));
        events.put(PeerEventType.UP, detailed(PeerEventType.UP, peer, new EventDetail.Up(Duration.ofMinutes(42))));
        events.put(PeerEventType.FIRST_SEEN, detailed(PeerEventType.FIRST_SEEN, peer, new EventDetail.FirstSeen(day)));
        events.put(PeerEventType.QUOTA, detailed(PeerEventType.QUOTA, peer,
                new EventDetail.Quota(80, 80_500_000_000L, 100_000_000_000L, day)));
        return events;
    }

    private static PeerEvent detailed(PeerEventType type, Peer peer, EventDetail detail) {
        return new PeerEvent(UUID.randomUUID(), type, TIME, "node-1", new PeerKey("wg0", peer.publicKey()), peer,
                "alice-laptop", null, null, detail);
    }

    /** A connected event whose rxBytes carries a sequence number, for order checks. */
    public static PeerEvent numbered(String publicKey, long sequence) {
        return event(PeerEventType.CONNECTED, peer(publicKey, endpoint("192.0.2.2", 40000), HANDSHAKE, sequence), null);
    }

    /** A connected event happening now, for tests where events must not be too old. */
    static PeerEvent connectedNow(String publicKey, Instant now) {
        return new PeerEvent(UUID.randomUUID(), PeerEventType.CONNECTED, now, "node-1", new PeerKey("wg0", publicKey),
                peer(publicKey, endpoint("192.0.2.2", 40000), HANDSHAKE, 1), null, null, null, null);
    }

    static PeerEvent roamedNow(String publicKey, Instant now) {
        return new PeerEvent(UUID.randomUUID(), PeerEventType.ROAMED, now, "node-1", new PeerKey("wg0", publicKey),
                peer(publicKey, endpoint("198.51.100.7", 40000), HANDSHAKE, 2), null, null, null,
                new EventDetail.Roamed("192.0.2.2:40000", 0));
    }

    static PeerEvent disconnectedNow(String publicKey, Instant now) {
        return new PeerEvent(UUID.randomUUID(), PeerEventType.DISCONNECTED, now, "node-1",
                new PeerKey("wg0", publicKey), peer(publicKey, endpoint("192.0.2.2", 40000), HANDSHAKE, 1), null,
                DisconnectReason.IDLE, Duration.ofSeconds(30), null);
    }

    /** A syntactically valid base64 key that differs per index. */
    public static String key(int index) {
        return String.format("%043d=", index);
    }
}
