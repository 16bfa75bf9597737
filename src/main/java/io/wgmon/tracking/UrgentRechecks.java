package io.wgmon.tracking;

import io.wgmon.timing.TimerSlot;
import io.wgmon.timing.Timers;

import java.time.Duration;
import java.util.List;

/**
 * Rechecks after an urgent scan that found no connect (docs/architecture.md#scan-decisions).
 * The packet capture sees a handshake's first transport packet before WireGuard has processed it
 * (NFLOG logs it in netfilter, before the socket; pcap copies it beside the socket), so the urgent
 * scan can run first and read the old handshake time; the next deadline scan would then find the connect,
 * much later. Instead the scan is repeated a few milliseconds later, then at growing spacing for
 * about two seconds, until one finds a connect or the delays run out: a loaded WireGuard may record
 * the handshake well after that packet (docs/benchmarks.md, "Why connects waited seconds"). A recheck runs at once only while nothing else is
 * pending ({@link ScanCoalescer#requestRecheck}) and spends no urgent token: under a flood of forged
 * handshakes a scan is always pending, so rechecks add none, and the tokens stay for real handshakes
 * from other addresses (when rechecks spent tokens, a real connect during the flood waited for the
 * window; docs/benchmarks.md#profiles-behind-code-choices).
 */
public final class UrgentRechecks {
    static final List<Duration> DELAYS = List.of(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(1000));

    private final Runnable requestRecheck;
    /** The delay the next recheck waits, as an index into {@link #DELAYS}. */
    private int nextDelay;
    private final TimerSlot pending;

    /** @param requestRecheck asks for a scan of cause {@link ScanCause#RECHECK}; must not block */
    public UrgentRechecks(Timers timers, Runnable requestRecheck) {
        this.requestRecheck = requestRecheck;
        this.pending = new TimerSlot(timers);
    }

    /** After each scan, on the scan thread: its cause, and whether it reported a peer connecting. */
    synchronized void scanned(ScanCause cause, boolean foundConnect) {
        if (cause != ScanCause.URGENT && cause != ScanCause.RECHECK) {
            return;
        }
        pending.cancel();
        if (cause == ScanCause.URGENT) {
            nextDelay = 0;
        }
        if (foundConnect || nextDelay >= DELAYS.size()) {
            return;
        }
        pending.arm(DELAYS.get(nextDelay++), this::due);
    }

    private void due(long ticket) {
        synchronized (this) {
            if (!pending.take(ticket)) {
                return;
            }
        }
        requestRecheck.run();
    }

    synchronized void close() {
        pending.cancel();
        nextDelay = DELAYS.size();
    }
}
