package io.wgmon.delivery;

import io.wgmon.tracking.DisconnectReason;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.tracking.PeerKey;
import io.wgmon.tracking.SessionTraffic;
import io.wgmon.wireguard.Peer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Peer events for tests. */
public final class TestEvents {
    public static final String KEY = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    public static final Instant TIME = Instant.parse("2026-11-25T23:52:51.450Z");
    public static final Instant HANDSHAKE = Instant.parse("2026-11-25T23:52:51.987654321Z");
    public static final UUID SESSION = UUID.fromString("6f1d3b7e-2c4a-4e8b-9a51-0c7d2e3f4a5b");

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
                peer, name, null, null, SESSION, null);
    }

    public static PeerEvent disconnected(DisconnectReason reason, Duration connectedFor) {
        Peer peer = peer(KEY, endpoint("192.0.2.2", 33612), HANDSHAKE, 180);
        return new PeerEvent(UUID.randomUUID(), PeerEventType.DISCONNECTED, TIME, "node-1",
                new PeerKey("wg0", KEY), peer, "alice-laptop", reason, connectedFor, SESSION,
                new SessionTraffic(peer.rxBytes(), peer.txBytes()));
    }

    /** A connected event whose rxBytes carries a sequence number, for order checks. */
    public static PeerEvent numbered(String publicKey, long sequence) {
        return event(PeerEventType.CONNECTED, peer(publicKey, endpoint("192.0.2.2", 40000), HANDSHAKE, sequence), null);
    }

    /** A connected event happening now, for tests where events must not be too old. */
    static PeerEvent connectedNow(String publicKey, Instant now) {
        return new PeerEvent(UUID.randomUUID(), PeerEventType.CONNECTED, now, "node-1", new PeerKey("wg0", publicKey),
                peer(publicKey, endpoint("192.0.2.2", 40000), HANDSHAKE, 1), null, null, null, null, null);
    }

    static PeerEvent disconnectedNow(String publicKey, Instant now) {
        return new PeerEvent(UUID.randomUUID(), PeerEventType.DISCONNECTED, now, "node-1",
                new PeerKey("wg0", publicKey), peer(publicKey, endpoint("192.0.2.2", 40000), HANDSHAKE, 1), null,
                DisconnectReason.IDLE, Duration.ofSeconds(30), null, null);
    }

    /** A syntactically valid base64 key that differs per index. */
    public static String key(int index) {
        return String.format("%043d=", index);
    }
}
