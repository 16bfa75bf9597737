package io.wgmon.tracking;

import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketsLost;
import io.wgmon.capture.WireGuardPacket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Decides from one packet whether WireGuard must be scanned (docs/architecture.md#scan-decisions). A responder
 * records a handshake only when the first transport packet after it arrives (counter 0), so an initiation
 * is remembered and the transport packet that follows it from the same source asks for an
 * urgent scan; an initiation with no such packet yet asks for the {@link HandshakeFallback}. Packets from
 * the endpoint of a connected peer need no scan, handshakes included: a completed one moves that peer's
 * deadline instead ({@link PeerDeadlines}, {@link SessionStartTimes}). Used from the packet reader thread only.
 * <p>
 * Anyone can send packets that look like a handshake, so urgency is rationed per source address
 * as well as overall (the coalescer's token bucket): a source address gets at most one urgent scan
 * per {@link #URGENT_PER_SOURCE}; later ones from it are plain, coalesced scans. One flooding
 * sender then cannot empty the coalescer's bucket, and a real handshake from another address
 * during the flood still gets its urgent scan. A real peer handshakes every two minutes. Many real
 * peers can share one address (behind one NAT): a source whose urgent scan found a connect
 * ({@link #connected}, from the scan thread) gets its next urgent scan at once, so they are not slowed
 * down; forged packets find nothing and stay rationed.
 */
public final class ScanTrigger {
    /** Handshake initiations remembered at most; a flood of them cannot grow memory. */
    static final int MAX_PENDING_HANDSHAKES = 4096;
    private static final Duration HANDSHAKE_MEMORY = Duration.ofSeconds(10);
    static final Duration URGENT_PER_SOURCE = Duration.ofSeconds(2);

    public enum Decision {
        NONE,
        /** An initiation from a source that is not connected: scan later unless its session's first packet comes. */
        AWAIT_SESSION,
        SCAN,
        URGENT_SCAN
    }

    private final Supplier<Set<InetSocketAddress>> connectedEndpoints;
    private final Map<InetSocketAddress, Instant> initiations = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Instant> eldest) {
            return size() > MAX_PENDING_HANDSHAKES;
        }
    };

    /** When each source address last got an urgent scan; bounded like {@link #initiations}. */
    private final Map<InetAddress, Instant> lastUrgent = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Instant> eldest) {
            return size() > MAX_PENDING_HANDSHAKES;
        }
    };

    /** Addresses a peer just connected from: each lifts that address's rationing once. */
    private final Set<InetAddress> connectedSince = ConcurrentHashMap.newKeySet();

    public ScanTrigger(Supplier<Set<InetSocketAddress>> connectedEndpoints) {
        this.connectedEndpoints = connectedEndpoints;
    }

    /** A scan reported a peer connected from this address; safe to call from any thread. */
    public void connected(InetAddress source) {
        if (connectedSince.size() < MAX_PENDING_HANDSHAKES) {
            connectedSince.add(source);
        }
    }

    public Decision decide(PacketEvent event) {
        if (event instanceof PacketsLost) {
            return Decision.SCAN;
        }
        WireGuardPacket packet = (WireGuardPacket) event;
        InetSocketAddress source = packet.sourceEndpoint();
        return switch (packet.type()) {
            case HANDSHAKE_INITIATION -> {
                initiations.remove(source);
                initiations.put(source, packet.time());
                yield connected(source) ? Decision.NONE : Decision.AWAIT_SESSION;
            }
            case HANDSHAKE_RESPONSE -> connected(source) ? Decision.NONE : urgent(packet.source(), packet.time());
            case COOKIE_REPLY -> Decision.NONE;
            case TRANSPORT_DATA -> transport(source, packet.time());
            case UNKNOWN -> Decision.SCAN;
        };
    }

    private Decision transport(InetSocketAddress source, Instant time) {
        Instant initiated = initiations.remove(source);
        if (connected(source)) {
            return Decision.NONE;
        }
        if (initiated != null && !time.isAfter(initiated.plus(HANDSHAKE_MEMORY))) {
            return urgent(source.getAddress(), time);
        }
        return Decision.SCAN;
    }

    private boolean connected(InetSocketAddress source) {
        return connectedEndpoints.get().contains(source);
    }

    private Decision urgent(InetAddress source, Instant time) {
        Instant last = lastUrgent.get(source);
        if (last != null && time.isBefore(last.plus(URGENT_PER_SOURCE)) && !time.isBefore(last)
                && !connectedSince.remove(source)) {
            return Decision.SCAN;
        }
        lastUrgent.remove(source);
        lastUrgent.put(source, time);
        return Decision.URGENT_SCAN;
    }
}
