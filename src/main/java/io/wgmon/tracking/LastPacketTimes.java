package io.wgmon.tracking;

import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.WireGuardPacket;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the packet source last saw a packet from each source endpoint. Written by the packet
 * reader, read by the tracker to date rx growth exactly instead of by the scan that noticed it.
 * Bounded: past {@link #MAX_SOURCES} it starts afresh, which only costs precision.
 */
public final class LastPacketTimes {
    static final int MAX_SOURCES = 65536;

    private final Map<InetSocketAddress, Instant> times = new ConcurrentHashMap<>();

    public void record(PacketEvent event) {
        if (event instanceof WireGuardPacket packet) {
            if (times.size() >= MAX_SOURCES) {
                times.clear();
            }
            times.put(new InetSocketAddress(packet.source(), packet.sourcePort()), packet.time());
        }
    }

    /** The time of the last packet from this endpoint, null if none was seen. */
    public Instant lastFrom(InetSocketAddress endpoint) {
        return endpoint == null ? null : times.get(endpoint);
    }
}
