package io.wgmon.tracking;

import io.wgmon.capture.MessageType;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.WireGuardPacket;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each source endpoint last showed a completed handshake: a response (its side accepted our
 * initiation) or a session's first data packet (it received our response). An initiation alone proves
 * nothing: a peer removed from its device, or anyone, can send those unanswered. Written by the packet
 * reader, read by {@link PeerDeadlines}. Bounded like {@link LastPacketTimes}.
 */
public final class SessionStartTimes {
    static final int MAX_SOURCES = 65536;

    private final Map<InetSocketAddress, Instant> times = new ConcurrentHashMap<>();

    void record(PacketEvent event) {
        if (event instanceof WireGuardPacket packet
                && (packet.type() == MessageType.HANDSHAKE_RESPONSE || packet.sessionStart())) {
            if (times.size() >= MAX_SOURCES) {
                times.clear();
            }
            times.put(packet.sourceEndpoint(), packet.time());
        }
    }

    /** The time of the last completed handshake seen from this endpoint, null if none. */
    public Instant lastFrom(InetSocketAddress endpoint) {
        return endpoint == null ? null : times.get(endpoint);
    }
}
