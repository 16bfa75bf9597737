package io.wgmon.tracking;

import io.wgmon.timing.TimerSlot;
import io.wgmon.timing.Timers;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Scans while the capture has not delivered a single packet since start (docs/architecture.md#rule-diagnosis):
 * without the firewall rule nothing else would scan when a peer connects (no packet asks, and no peer is
 * connected to have a deadline), so the {@link MissingRuleDiagnosis} would never see its handshake. The first
 * probe a tick after the first scan, each next one twice as far from the last, at most {@link #MAX_SPACING} (or a
 * tick, if longer), for {@link #PROBE_FOR} after the first scan (the newcomer's first try); then never again, nor
 * once a packet arrived. A server nobody connects to after a restart is scanned a dozen times, not every tick.
 * Rearmed after each scan, on the scan thread.
 */
public final class NoPacketProbe {
    static final Duration PROBE_FOR = Duration.ofMinutes(10);
    static final Duration MAX_SPACING = Duration.ofMinutes(1);

    private final Timers timers;
    private final Duration maxSpacing;
    private final BooleanSupplier packetsSeen;
    private final Runnable requestScan;
    private Instant firstScan;
    private Duration spacing;
    private final TimerSlot pending;
    private boolean closed;

    /** @param requestScan asks for a scan (cause probe); must not block */
    public NoPacketProbe(Timers timers, Duration tick, BooleanSupplier packetsSeen, Runnable requestScan) {
        this.timers = timers;
        this.maxSpacing = tick.compareTo(MAX_SPACING) > 0 ? tick : MAX_SPACING;
        this.packetsSeen = packetsSeen;
        this.requestScan = requestScan;
        this.spacing = tick;
        this.pending = new TimerSlot(timers);
    }

    /** After each scan: the next probe, unless a packet arrived or one is armed. */
    synchronized void rearm() {
        Instant now = timers.now();
        if (firstScan == null) {
            firstScan = now;
        }
        if (closed || pending.armed() || packetsSeen.getAsBoolean()) {
            return;
        }
        if (Duration.between(firstScan, now).compareTo(PROBE_FOR) >= 0) {
            return;
        }
        pending.arm(spacing, this::due);
    }

    synchronized void close() {
        closed = true;
        pending.cancel();
    }

    private void due(long ticket) {
        synchronized (this) {
            if (!pending.take(ticket)) {
                return;
            }
            Duration doubled = spacing.multipliedBy(2);
            spacing = doubled.compareTo(maxSpacing) > 0 ? maxSpacing : doubled;
        }
        if (!packetsSeen.getAsBoolean()) {
            requestScan.run();
        }
    }
}
