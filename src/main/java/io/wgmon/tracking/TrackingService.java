package io.wgmon.tracking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketSource;
import io.wgmon.wireguard.Scan;
import io.wgmon.wireguard.WireGuardScanner;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Wires the pipeline: packets from the source are triaged, coalesced into scans, the tracker
 * turns scans into events, and events go out on {@link #events()}. While a peer is connected the
 * idle ticker asks for scans too.
 */
public final class TrackingService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TrackingService.class);

    private final PacketSource source;
    private final WireGuardScanner scanner;
    private final ConnectionTracker tracker;
    private final LastPacketTimes lastPackets;
    private final ScanTrigger trigger;
    private final ScanCoalescer coalescer;
    private final IdleTicker ticker;
    private final BroadcastProcessor<PeerEvent> events = BroadcastProcessor.create();
    private final Timer scanTimer;
    private final Counter scanFailures;
    private final MeterRegistry registry;

    private volatile Scan lastScan;
    private volatile boolean started;
    private List<Scan.ScanFailure> lastFailures = List.of();

    /** @param lastPackets the same instance the tracker dates rx growth with */
    public TrackingService(PacketSource source, WireGuardScanner scanner, ConnectionTracker tracker,
                           LastPacketTimes lastPackets, Duration coalesce, Duration tick, Scheduler scheduler,
                           MeterRegistry registry) {
        this.source = source;
        this.scanner = scanner;
        this.tracker = tracker;
        this.lastPackets = lastPackets;
        this.registry = registry;
        this.trigger = new ScanTrigger(tracker::connectedEndpoints);
        this.coalescer = new ScanCoalescer(this::scanOnce, coalesce);
        this.ticker = new IdleTicker(scheduler, tick, () -> coalescer.request(false));
        this.scanTimer = Timer.builder("wgmon.scans").description("WireGuard scans").register(registry);
        this.scanFailures = Counter.builder("wgmon.scan.failures")
                .description("Interfaces or backends that could not be read in a scan").register(registry);
        registry.gauge("wgmon.peers.connected", this, s -> s.tracker.peers().stream().filter(PeerState::connected).count());
    }

    /** Binds the packet source (its errors propagate as they are) and takes the baseline scan. */
    public void start() {
        source.packets().subscribe().with(this::onPacket,
                failure -> LOG.errorf(failure, "Packet stream from %s failed", source.describe()));
        source.start();
        started = true;
        LOG.infof("Watching %s; WireGuard backends %s", source.describe(), scanner.backendNames());
        coalescer.request(true);
    }

    private void onPacket(PacketEvent packet) {
        lastPackets.record(packet);
        switch (trigger.decide(packet)) {
            case URGENT_SCAN -> coalescer.request(true);
            case SCAN -> coalescer.request(false);
            case NONE -> {
            }
        }
    }

    private void scanOnce() {
        Scan scan = scanTimer.record(scanner::scan);
        boolean first = lastScan == null;
        lastScan = scan;
        reportFailures(scan.failures());
        for (PeerEvent event : tracker.apply(Objects.requireNonNull(scan))) {
            registry.counter("wgmon.events", "type", event.type().wireName()).increment();
            LOG.infof("%s %s endpoint %s%s", event.type().wireName(), event.key(), event.peer().endpointText(),
                    event.reason() == null ? "" : " reason " + event.reason().wireName());
            events.onNext(event);
        }
        ticker.needed(tracker.hasConnectedPeers());
        if (first) {
            LOG.infof("First scan: %d WireGuard interfaces, %d peers, %d connected", scan.devices().size(),
                    tracker.peers().size(), tracker.peers().stream().filter(PeerState::connected).count());
        }
    }

    private void reportFailures(List<Scan.ScanFailure> failures) {
        scanFailures.increment(failures.size());
        if (!failures.equals(lastFailures)) {
            failures.forEach(f -> LOG.warnf("Cannot read WireGuard %s: %s",
                    f.interfaceName() == null ? "interfaces" : f.interfaceName(), f.message()));
            if (failures.isEmpty()) {
                LOG.info("WireGuard scans succeed again");
            }
            lastFailures = failures;
        }
    }

    /** Hot stream of events; subscribers see what happens after they subscribe. */
    public Multi<PeerEvent> events() {
        return events;
    }

    public List<PeerState> peers() {
        return tracker.peers();
    }

    public Scan lastScan() {
        return lastScan;
    }

    public boolean started() {
        return started;
    }

    public PacketSource source() {
        return source;
    }

    public List<String> backendNames() {
        return scanner.backendNames();
    }

    public boolean idleTickRunning() {
        return ticker.running();
    }

    @Override
    public void close() {
        ticker.needed(false);
        source.close();
        coalescer.close();
        scanner.close();
        events.onComplete();
    }
}
