package io.wgmon.tracking;

import io.wgmon.capture.EndpointPacketTimes;
import io.wgmon.capture.EndpointPackets;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Before a deadline scan, on the scan thread (docs/architecture.md#deadlines): reads the kernel's packet times of
 * the peers whose deadline is due, and lets {@link PeerDeadlines#trafficSeen} move those whose traffic went on
 * both ways. Only when a deadline is still due after that (a peer silent, only sending, removed, or without
 * times) does the device get dumped; one dump confirms every due peer, so none is read when one cannot move.
 */
public final class DeadlineLook {
    private final PeerDeadlines deadlines;
    private final EndpointPacketTimes packetTimes;
    private final Supplier<Optional<Instant>> otherDue;
    private final Supplier<Instant> clock;

    /**
     * @param otherDue when the event rules next need a scan (stale peers, expectations); a look never replaces it
     * @param clock    the scans' clock
     */
    public DeadlineLook(PeerDeadlines deadlines, EndpointPacketTimes packetTimes, Supplier<Optional<Instant>> otherDue,
                        Supplier<Instant> clock) {
        this.deadlines = deadlines;
        this.packetTimes = packetTimes;
        this.otherDue = otherDue;
        this.clock = clock;
    }

    /** @return true when nothing is due any more, so the deadline scan is not needed */
    boolean settled() {
        Instant now = clock.get();
        if (otherDue.get().filter(at -> !at.isAfter(now)).isPresent()) {
            return false;
        }
        List<PeerDeadlines.Due> due = deadlines.due(now);
        List<InetSocketAddress> endpoints = new ArrayList<>();
        for (PeerDeadlines.Due peer : due) {
            if (peer.rechecking() || peer.endpoint() == null) {
                return false;
            }
            endpoints.add(peer.endpoint());
        }
        if (due.isEmpty()) {
            return true;
        }
        Map<InetSocketAddress, EndpointPackets> times = packetTimes.read(endpoints);
        for (PeerDeadlines.Due peer : due) {
            EndpointPackets packets = times.get(peer.endpoint());
            if (packets == null) {
                return false;
            }
            deadlines.trafficSeen(peer.key(), packets.lastIn(), packets.lastOut());
        }
        return deadlines.due(now).isEmpty();
    }
}
