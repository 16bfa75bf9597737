package io.wgmon.tracking;

import io.wgmon.timing.TimerSlot;
import io.wgmon.timing.Timers;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Turns a storm of scan requests into few scans (docs/architecture.md#tracking). The first request after a
 * quiet window runs a scan at once (leading edge); requests during a scan or within the window after
 * its start are merged into one trailing scan at the window's end. An urgent request (a handshake just
 * completed) skips the window but still waits for a running scan. Scans run on one thread, so they
 * never overlap, and at most one is pending: the queue is bounded by construction. The window is a
 * one-shot timer on the shared {@link Timers}; no thread waits for it.
 * <p>
 * Anyone on the network can send packets that look like a completed handshake, so urgency is
 * rationed: an urgent request spends a token from a small bucket ({@link #URGENT_BURST} tokens, one
 * more every {@link #URGENT_REFILL}); without a token it is coalesced like any other request. A flood
 * of forged packets therefore gives at most one scan per window plus one per refill, while a real
 * handshake during the flood is still seen by the next scan, at most one window later. A scan that
 * finds a peer connecting gives its token back ({@link #refundUrgent}).
 */
public final class ScanCoalescer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ScanCoalescer.class);
    static final int URGENT_BURST = 3;
    static final Duration URGENT_REFILL = Duration.ofSeconds(1);

    /** Set once by {@link #start}, before the first request. */
    private Runnable scan;
    private final long windowNanos;
    private final Timers timers;
    private final Executor scanThread;

    private boolean running;
    private boolean pending;
    private boolean pendingUrgent;
    /** The trailing scan's timer; a timer that fires after being replaced or cancelled does nothing. */
    private final TimerSlot trailing;
    private long lastStart;
    private boolean scannedBefore;
    private boolean closed;
    private double urgentTokens = URGENT_BURST;
    private long tokensCountedAt;

    /** @param scanThread runs one scan at a time, in order (a single thread) */
    public ScanCoalescer(Duration window, Timers timers, Executor scanThread) {
        this.windowNanos = window.toNanos();
        this.timers = timers;
        this.scanThread = scanThread;
        this.trailing = new TimerSlot(timers);
        this.tokensCountedAt = timers.nanoTime();
    }

    /**
     * Gives the coalescer the scan it runs; once, before the first request. The scan is the service's, which
     * is built after the coalescer (it asks the coalescer for scans), so it comes here and not through the
     * constructor.
     */
    public synchronized void start(Runnable scan) {
        if (this.scan != null) {
            throw new IllegalStateException("the coalescer was started already");
        }
        this.scan = scan;
    }

    /** Asks for a scan; never blocks. */
    public synchronized void request(boolean urgent) {
        if (closed) {
            return;
        }
        if (scan == null) {
            throw new IllegalStateException("a scan was requested before the coalescer was started");
        }
        if (urgent && !takeUrgentToken()) {
            urgent = false;
        }
        if (running) {
            pending = true;
            pendingUrgent |= urgent;
            return;
        }
        if (trailing.armed()) {
            if (urgent) {
                trailing.cancel();
                startNow();
            }
            return;
        }
        long sinceLast = timers.nanoTime() - lastStart;
        if (urgent || !scannedBefore || sinceLast >= windowNanos) {
            startNow();
        } else {
            scheduleTrailing(windowNanos - sinceLast);
        }
    }

    /**
     * Asks for a recheck (docs/architecture.md#tracking, {@code UrgentRechecks}): at once when nothing else is
     * asked for or running, spending no token; otherwise it joins what is pending. A recheck is worth
     * a scan of its own only while the coalescer is quiet: under a flood of forged handshakes a scan is
     * always pending, so rechecks add none and leave the tokens to real handshakes from other addresses.
     */
    public synchronized void requestRecheck() {
        if (closed) {
            return;
        }
        if (running) {
            pending = true;
            return;
        }
        if (!trailing.armed()) {
            startNow();
        }
    }

    /**
     * A scan found a peer connecting: one token back (up to the burst), so real handshakes that come in
     * a burst (many peers at once after a server restart) keep their urgent scans while forged ones,
     * which find nothing, stay rationed.
     */
    public synchronized void refundUrgent() {
        urgentTokens = Math.min(URGENT_BURST, urgentTokens + 1);
    }

    private boolean takeUrgentToken() {
        long now = timers.nanoTime();
        urgentTokens = Math.min(URGENT_BURST,
                urgentTokens + (double) (now - tokensCountedAt) / URGENT_REFILL.toNanos());
        tokensCountedAt = now;
        if (urgentTokens < 1) {
            return false;
        }
        urgentTokens -= 1;
        return true;
    }

    private void startNow() {
        running = true;
        try {
            scanThread.execute(this::runScan);
        } catch (RejectedExecutionException e) {
            running = false; // the scan thread is shutting down with the service
        }
    }

    private void scheduleTrailing(long delayNanos) {
        trailing.arm(Duration.ofNanos(delayNanos), this::trailingDue);
    }

    private synchronized void trailingDue(long ticket) {
        if (!trailing.take(ticket) || closed) {
            return;
        }
        startNow();
    }

    private void runScan() {
        Runnable toRun;
        synchronized (this) {
            lastStart = timers.nanoTime();
            scannedBefore = true;
            toRun = scan;
        }
        try {
            toRun.run();
        } catch (Throwable e) {
            // the scan reports its own failures; this is the last guard that keeps later scans coming
            LOG.errorf(e, "Scan failed unexpectedly; later scans run as usual");
        } finally {
            finished();
        }
    }

    private synchronized void finished() {
        running = false;
        if (!pending || closed) {
            return;
        }
        boolean urgent = pendingUrgent;
        pending = false;
        pendingUrgent = false;
        long untilWindowEnd = lastStart + windowNanos - timers.nanoTime();
        if (urgent || untilWindowEnd <= 0) {
            startNow();
        } else {
            scheduleTrailing(untilWindowEnd);
        }
    }

    /** No scan starts after this; a running one finishes. */
    @Override
    public synchronized void close() {
        closed = true;
        trailing.cancel();
    }
}
