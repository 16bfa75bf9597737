package io.wgmon.tracking;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Turns a storm of scan requests into few scans. The first request after a quiet window runs a
 * scan at once (leading edge); requests during a scan or within the window after its start are
 * merged into one trailing scan at the window's end. An urgent request (a handshake just
 * completed) skips the window but still waits for a running scan. Scans run on one thread, so
 * they never overlap, and at most one is pending: the queue is bounded by construction.
 */
public final class ScanCoalescer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ScanCoalescer.class);

    private final Runnable scan;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService thread;

    private boolean running;
    private boolean pending;
    private boolean pendingUrgent;
    private ScheduledFuture<?> trailing;
    private long lastStart;
    private boolean started;

    public ScanCoalescer(Runnable scan, Duration window) {
        this(scan, window, System::nanoTime);
    }

    ScanCoalescer(Runnable scan, Duration window, LongSupplier nanoTime) {
        this.scan = scan;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wgmon-scan");
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks for a scan; never blocks. */
    public synchronized void request(boolean urgent) {
        if (thread.isShutdown()) {
            return;
        }
        if (running) {
            pending = true;
            pendingUrgent |= urgent;
            return;
        }
        if (trailing != null) {
            if (urgent && trailing.cancel(false)) {
                trailing = null;
                startNow();
            }
            return;
        }
        long sinceLast = nanoTime.getAsLong() - lastStart;
        if (urgent || !started || sinceLast >= windowNanos) {
            startNow();
        } else {
            scheduleTrailing(windowNanos - sinceLast);
        }
    }

    private void startNow() {
        running = true;
        thread.execute(this::runScan);
    }

    private void scheduleTrailing(long delayNanos) {
        trailing = thread.schedule(() -> {
            synchronized (this) {
                trailing = null;
                running = true;
            }
            runScan();
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void runScan() {
        synchronized (this) {
            lastStart = nanoTime.getAsLong();
            started = true;
        }
        try {
            scan.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Scan failed unexpectedly");
        } finally {
            finished();
        }
    }

    private synchronized void finished() {
        running = false;
        if (!pending || thread.isShutdown()) {
            return;
        }
        boolean urgent = pendingUrgent;
        pending = false;
        pendingUrgent = false;
        long untilWindowEnd = lastStart + windowNanos - nanoTime.getAsLong();
        if (urgent || untilWindowEnd <= 0) {
            startNow();
        } else {
            scheduleTrailing(untilWindowEnd);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
