package io.wgmon.tracking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.wgmon.capture.PacketEvent;
import io.wgmon.capture.PacketSource;
import io.wgmon.capture.PacketsLost;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.lifecycle.LifecycleWatcher;
import io.wgmon.timing.Timers;
import io.wgmon.wireguard.Scan;
import io.wgmon.wireguard.WireGuardScanner;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Wires the pipeline: packets from the source are triaged, coalesced into scans, the tracker
 * turns scans into events, and events go out on {@link #events()}. While a peer is connected, the
 * timer for the earliest peer deadline asks for scans too ({@link PeerDeadlines}).
 * <p>
 * Neither path can die silently (docs/architecture.md#tracking): a packet that cannot be handled and a scan
 * that throws are logged and counted, and the stream goes on; if the packet stream itself ends,
 * {@link #packetPathFailure()} says why and liveness goes DOWN.
 */
public final class TrackingService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TrackingService.class);
    /** Histogram buckets of wgmon_scans_seconds: a UAPI read of a few peers takes a millisecond, of 10,000 a second. */
    private static final Duration[] SCAN_BUCKETS = Stream.of(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final PacketSource source;
    private final WireGuardScanner scanner;
    private final ConnectionTracker tracker;
    private final LastPacketTimes lastPackets;
    private final ScanTrigger trigger;
    private final ScanCoalescer coalescer;
    private final SessionStartTimes sessionStarts = new SessionStartTimes();
    private final PeerDeadlines deadlines;
    private final DeadlineTimer deadlineTimer;
    private final HandshakeFallback fallback;
    private final AllPacketsRuleNotice allPacketsNotice;
    private final UrgentRechecks rechecks;
    private final BroadcastProcessor<PeerEvent> events = BroadcastProcessor.create();
    private final ScanCauses causes = new ScanCauses();
    private final Map<ScanCause, Timer> scanTimers = new EnumMap<>(ScanCause.class);
    private final Counter scanFailures;
    private final Counter packetErrors;
    private final Counter scanErrors;
    private final Map<PeerEventType, Counter> eventCounters = new EnumMap<>(PeerEventType.class);
    private final ExecutorService scanThread;
    private final MeterRegistry registry;
    private final Optional<LifecycleWatcher> lifecycle;
    private final TrackerState state;
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile Scan lastScan;
    private volatile boolean started;
    private volatile String packetPathFailure;
    private List<Scan.ScanFailure> lastFailures = List.of();
    private final Set<String> namedInterfaces;
    private Set<String> lastMissing = Set.of();

    /**
     * @param lastPackets     the same instance the tracker dates rx growth with
     * @param namedInterfaces the interfaces {@code wgmon.wireguard.interfaces} names; empty: all are watched
     */
    public TrackingService(PacketSource source, WireGuardScanner scanner, ConnectionTracker tracker,
                           LastPacketTimes lastPackets, Duration coalesce, Duration tick,
                           Timers timers, MeterRegistry registry, Set<String> namedInterfaces) {
        this(source, scanner, tracker, lastPackets, coalesce, tick, timers, registry, namedInterfaces,
                Optional.empty());
    }

    /**
     * @param lifecycle started with the packet source: link and UAPI socket changes ask for a scan at
     *                  once (docs/architecture.md#tracking), and closed with the service
     */
    public TrackingService(PacketSource source, WireGuardScanner scanner, ConnectionTracker tracker,
                           LastPacketTimes lastPackets, Duration coalesce, Duration tick,
                           Timers timers, MeterRegistry registry, Set<String> namedInterfaces,
                           Optional<LifecycleWatcher> lifecycle) {
        this(source, scanner, tracker, lastPackets, coalesce, tick, timers, registry, namedInterfaces,
                lifecycle, TrackerState.none());
    }

    /**
     * @param state the tracker's state across restarts: loaded by {@link #start()} before the first scan,
     *              saved after each scan with its events, flushed by {@link #close()}
     */
    public TrackingService(PacketSource source, WireGuardScanner scanner, ConnectionTracker tracker,
                           LastPacketTimes lastPackets, Duration coalesce, Duration tick,
                           Timers timers, MeterRegistry registry, Set<String> namedInterfaces,
                           Optional<LifecycleWatcher> lifecycle, TrackerState state) {
        this.state = state;
        this.lifecycle = lifecycle;
        this.source = source;
        this.namedInterfaces = Set.copyOf(namedInterfaces);
        this.scanner = scanner;
        this.tracker = tracker;
        this.lastPackets = lastPackets;
        this.registry = registry;
        this.trigger = new ScanTrigger(tracker::connectedEndpoints);
        this.scanThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wgmon-scan");
            t.setDaemon(true);
            return t;
        });
        this.coalescer = new ScanCoalescer(this::scanOnce, coalesce, timers, scanThread);
        this.deadlines = new PeerDeadlines(tracker.idleTimeout(), tick, sessionStarts::lastFrom);
        this.deadlineTimer = new DeadlineTimer(timers, tick, deadlines::earliest, () -> requestScan(ScanCause.DEADLINE));
        this.fallback = new HandshakeFallback(timers, () -> requestScan(ScanCause.PACKET));
        this.allPacketsNotice = new AllPacketsRuleNotice(source.describe());
        this.rechecks = new UrgentRechecks(timers, () -> {
            causes.note(ScanCause.RECHECK);
            coalescer.requestRecheck();
        });
        for (ScanCause cause : ScanCause.values()) {
            scanTimers.put(cause, Timer.builder("wgmon.scans").description("WireGuard scans, by what asked for them")
                    .tag("cause", cause.label()).serviceLevelObjectives(SCAN_BUCKETS).register(registry));
        }
        this.scanFailures = Counter.builder("wgmon.scan.failures")
                .description("Interfaces or backends that could not be read in a scan").register(registry);
        this.packetErrors = Counter.builder("wgmon.packet.errors")
                .description("Captured packets whose handling failed unexpectedly (skipped)").register(registry);
        for (PeerEventType type : PeerEventType.values()) {
            // resolved once: a lookup by name and tags on every event was cold on the first connect
            eventCounters.put(type, Counter.builder("wgmon.events").description("Peer events, by type")
                    .tag("type", type.wireName()).register(registry));
        }
        this.scanErrors = Counter.builder("wgmon.scan.errors")
                .description("Scans that failed unexpectedly (the next scan runs as usual)").register(registry);
        Gauge.builder("wgmon.peers.connected", this, s -> s.tracker.peers().stream().filter(PeerState::connected).count())
                .description("Connected peers of all watched interfaces, as of the last scan").register(registry);
    }

    /** Binds the packet source (its errors propagate as they are) and takes the baseline scan. */
    public void start() {
        tracker.restore(state.load());
        source.packets().subscribe().with(this::onPacketGuarded, this::packetStreamFailed, this::packetStreamEnded);
        source.start();
        started = true;
        LOG.infof("Watching %s; WireGuard backends %s", source.describe(), scanner.backendNames());
        requestScan(ScanCause.START);
        lifecycle.ifPresent(watcher -> watcher.start(() -> requestScan(ScanCause.RECOVERY), this::lastScanRead));
    }

    /** Whether the last scan read (or failed to read) an interface of this name. */
    private boolean lastScanRead(String interfaceName) {
        Scan scan = lastScan;
        return scan != null && (scan.devices().stream().anyMatch(d -> d.name().equals(interfaceName))
                || scan.failures().stream().anyMatch(f -> interfaceName.equals(f.interfaceName())));
    }

    /** A throwing subscriber would be cancelled by Mutiny and packets would stop: never let one escape. */
    private void onPacketGuarded(PacketEvent packet) {
        try {
            onPacket(packet);
        } catch (Throwable e) {
            packetErrors.increment();
            LOG.errorf(e, "Cannot handle a packet from %s; skipped, later packets are handled as usual",
                    source.describe());
        }
    }

    private void packetStreamFailed(Throwable failure) {
        packetPathFailure = "the packet stream from " + source.describe() + " failed: " + failure;
        LOG.errorf(failure, "Packet stream from %s failed; no more packets reach the tracker", source.describe());
    }

    private void packetStreamEnded() {
        if (!scanThread.isShutdown()) {
            packetPathFailure = "the packet stream from " + source.describe() + " ended";
            LOG.errorf("Packet stream from %s ended; no more packets reach the tracker", source.describe());
        }
    }

    private void onPacket(PacketEvent packet) {
        lastPackets.record(packet);
        sessionStarts.record(packet);
        if (packet instanceof WireGuardPacket wireGuardPacket) {
            allPacketsNotice.seen(wireGuardPacket);
        }
        switch (trigger.decide(packet)) {
            case URGENT_SCAN -> {
                fallback.completed();
                requestScan(ScanCause.URGENT);
            }
            case AWAIT_SESSION -> fallback.initiated();
            case SCAN -> requestScan(packet instanceof PacketsLost ? ScanCause.RECOVERY : ScanCause.PACKET);
            case NONE -> {
            }
        }
    }

    private void requestScan(ScanCause cause) {
        causes.note(cause);
        coalescer.request(cause == ScanCause.URGENT || cause == ScanCause.START);
    }

    private void scanOnce() {
        try {
            scanAndReport();
        } catch (Throwable e) {
            scanErrors.increment();
            LOG.errorf(e, "Scan failed unexpectedly; the next scan runs as usual");
        } finally {
            deadlineTimer.rearm();
        }
    }

    private void scanAndReport() {
        ScanCause cause = causes.take();
        Scan scan = scanTimers.get(cause).record(scanner::scan);
        boolean first = lastScan == null;
        lastScan = scan;
        reportFailures(scan.failures());
        reportMissing(scan);
        List<PeerEvent> found = tracker.apply(Objects.requireNonNull(scan));
        state.publishAndSave(tracker.peers(), () -> found.forEach(this::publish));
        deadlines.scanned(scan.time(), tracker.peers());
        rechecks.scanned(cause, found.stream().anyMatch(e -> e.type() == PeerEventType.CONNECTED));
        if (first) {
            LOG.infof("First scan: %d WireGuard interfaces, %d peers, %d connected", scan.devices().size(),
                    tracker.peers().size(), tracker.peers().stream().filter(PeerState::connected).count());
        }
    }

    private void publish(PeerEvent event) {
        eventCounters.get(event.type()).increment();
        LOG.infof("%s %s endpoint %s%s", event.type().wireName(), event.key(), event.peer().endpointText(),
                event.reason() == null ? "" : " reason " + event.reason().wireName());
        if (event.type() == PeerEventType.CONNECTED) {
            // a real handshake: its urgency was deserved (forged ones find nothing), so no rationing for it
            coalescer.refundUrgent();
            if (event.peer().endpoint() != null) {
                trigger.connected(event.peer().endpoint().getAddress());
            }
        }
        events.onNext(event);
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

    /** A named interface that no backend lists is worth a warning once, and a line when it appears. */
    private void reportMissing(Scan scan) {
        if (!scan.listed()) {
            return;
        }
        List<String> missing = scan.missing(namedInterfaces);
        for (String name : missing) {
            if (!lastMissing.contains(name)) {
                LOG.warnf("wgmon.wireguard.interfaces names %s, which no WireGuard backend (%s) lists; it is "
                        + "watched from the moment it appears", name, String.join(", ", scanner.backendNames()));
            }
        }
        for (String name : lastMissing) {
            if (!missing.contains(name)) {
                LOG.infof("WireGuard interface %s appeared", name);
            }
        }
        lastMissing = Set.copyOf(missing);
    }

    /** The interfaces {@code wgmon.wireguard.interfaces} names; empty when all are watched. */
    public Set<String> namedInterfaces() {
        return namedInterfaces;
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

    /** Why packets no longer reach the tracker, or null while they do. */
    public String packetPathFailure() {
        return packetPathFailure;
    }

    public PacketSource source() {
        return source;
    }

    public List<String> backendNames() {
        return scanner.backendNames();
    }

    /** Whether a peer deadline's timer is set: only while a peer is connected. */
    public boolean deadlineTimerArmed() {
        return deadlineTimer.armed();
    }

    /** Stops scanning and saves the tracker's state; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        lifecycle.ifPresent(LifecycleWatcher::close);
        deadlineTimer.close();
        fallback.close();
        rechecks.close();
        coalescer.close();
        scanThread.shutdown();
        source.close();
        awaitScanEnd();
        if (started) {
            state.flush(tracker.peers());
        }
        scanner.close();
        events.onComplete();
    }

    private void awaitScanEnd() {
        try {
            if (!scanThread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("A scan was still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
