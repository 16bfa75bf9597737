package io.wgmon.tracking;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.wgmon.capture.PacketSource;
import io.wgmon.wireguard.Scan;

import java.util.List;
import java.util.Set;

/**
 * What the surfaces (api, health, metrics) read of tracking (docs/architecture.md#surfaces): the peers, the
 * last scan, the packet source's state and the events after their commit. Read-only outside tracking;
 * tracking writes it on its own threads, and every read is of published state, never blocking.
 */
public final class TrackingView {
    private final PacketSource source;
    private final ConnectionTracker tracker;
    private final List<String> backendNames;
    private final Set<String> namedInterfaces;
    private final BroadcastProcessor<PeerEvent> events = BroadcastProcessor.create();
    private volatile Scan lastScan;
    private volatile boolean started;
    private volatile String packetPathFailure;

    /** @param namedInterfaces the interfaces {@code wgmon.wireguard.interfaces} names; empty: all are watched */
    public TrackingView(PacketSource source, ConnectionTracker tracker, List<String> backendNames,
                        Set<String> namedInterfaces) {
        this.source = source;
        this.tracker = tracker;
        this.backendNames = List.copyOf(backendNames);
        this.namedInterfaces = Set.copyOf(namedInterfaces);
    }

    /** Every tracked peer as of the last scan. */
    public List<PeerState> peers() {
        return tracker.peers();
    }

    /** The last scan, or null before the first. */
    public Scan lastScan() {
        return lastScan;
    }

    /** Whether the packet source was bound. */
    public boolean started() {
        return started;
    }

    /** Why packets no longer reach the tracker, or null while they do. */
    public String packetPathFailure() {
        return packetPathFailure;
    }

    public boolean packetSourceReady() {
        return source.isReady();
    }

    public String packetSource() {
        return source.describe();
    }

    public List<String> backendNames() {
        return backendNames;
    }

    /** The interfaces {@code wgmon.wireguard.interfaces} names; empty when all are watched. */
    public Set<String> namedInterfaces() {
        return namedInterfaces;
    }

    /** Hot stream of events, each after its scan's commit; subscribers see what happens after they subscribe. */
    public Multi<PeerEvent> events() {
        return events;
    }

    void scanned(Scan scan) {
        lastScan = scan;
    }

    void markStarted() {
        started = true;
    }

    void packetPathFailed(String why) {
        packetPathFailure = why;
    }

    void emit(PeerEvent event) {
        events.onNext(event);
    }

    void complete() {
        events.onComplete();
    }
}
