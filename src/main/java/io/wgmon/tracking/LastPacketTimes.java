package io.wgmon.tracking;

import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.WireGuardPacket;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the packet source last saw an ordinary data packet (not the first of its session) from each
 * source endpoint. Written by the packet reader, read by the tracker to date rx growth exactly instead
 * of by the scan that noticed it. Only a rule that logs every packet delivers those, and then the last
 * one is the last activity; the documented rule logs each session's first packet only, which says
 * nothing about the data after it, so growth is then dated by the scan (never too early).
 * Bounded: past {@link #MAX_SOURCES} it starts afresh, which only costs precision.
 */
public final class LastPacketTimes {
    static final int MAX_SOURCES = 65536;

    private final Map<InetSocketAddress, Instant> times = new ConcurrentHashMap<>();

    public void record(PacketEvent event) {
        if (event instanceof WireGuardPacket packet && packet.ordinaryData()) {
            if (times.size() >= MAX_SOURCES) {
                times.clear();
            }
            times.put(packet.sourceEndpoint(), packet.time());
        }
    }

    /** The time of the last packet from this endpoint, null if none was seen. */
    public Instant lastFrom(InetSocketAddress endpoint) {
        return endpoint == null ? null : times.get(endpoint);
    }
}
