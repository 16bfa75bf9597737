package io.wgmon.tracking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wgmon.wireguard.Scan;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Tracking's series: scans by cause, deadline scans not needed, scan and packet errors, events by type, connected peers. */
public final class TrackingMetrics {
    /** Histogram buckets of wgmon_scans_seconds: a UAPI read of a few peers takes a millisecond, of 10,000 a second. */
    private static final Duration[] SCAN_BUCKETS = Stream.of(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final Map<ScanCause, Timer> scanTimers = new EnumMap<>(ScanCause.class);
    private final Map<PeerEventType, Counter> eventCounters = new EnumMap<>(PeerEventType.class);
    private final Counter scanFailures;
    private final Counter packetErrors;
    private final Counter scanErrors;
    private final Counter deadlinesSettled;

    public TrackingMetrics(MeterRegistry registry, TrackingView view) {
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
        this.deadlinesSettled = Counter.builder("wgmon.deadlines.settled")
                .description("Deadline scans not needed: the kernel's packet times showed every due peer's traffic "
                        + "going on both ways").register(registry);
        Gauge.builder("wgmon.peers.connected", view, v -> v.peers().stream().filter(PeerState::connected).count())
                .description("Connected peers of all watched interfaces, as of the last scan").register(registry);
    }

    Scan timeScan(ScanCause cause, Supplier<Scan> scan) {
        return scanTimers.get(cause).record(scan);
    }

    void scanFailures(int count) {
        scanFailures.increment(count);
    }

    void packetError() {
        packetErrors.increment();
    }

    void scanError() {
        scanErrors.increment();
    }

    void deadlineSettled() {
        deadlinesSettled.increment();
    }

    void event(PeerEventType type) {
        eventCounters.get(type).increment();
    }
}
