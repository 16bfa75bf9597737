package io.wgmon.tracking;

import org.jboss.logging.Logger;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks for scans (docs/architecture.md#tracking): notes each request's cause for the scan's timer and hands it
 * to the {@link ScanCoalescer}, which runs the scans one at a time on the scan thread. Never blocks.
 */
public final class ScanRequests {
    private static final Logger LOG = Logger.getLogger(ScanRequests.class);

    private final ScanCauses causes = new ScanCauses();
    private final ScanCoalescer coalescer;
    private final ExecutorService scanThread;

    /** @param scanThread the one thread the coalescer runs scans on; shut down by {@link #stop()} */
    public ScanRequests(ScanCoalescer coalescer, ExecutorService scanThread) {
        this.coalescer = coalescer;
        this.scanThread = scanThread;
    }

    public void request(ScanCause cause) {
        causes.note(cause);
        coalescer.request(cause == ScanCause.URGENT || cause == ScanCause.START);
    }

    /** A recheck after an urgent scan that found no connect (UrgentRechecks). */
    public void recheck() {
        causes.note(ScanCause.RECHECK);
        coalescer.requestRecheck();
    }

    void start(Runnable scan) {
        coalescer.start(scan);
    }

    /** On the scan thread, as a scan begins: the cause it is counted under. */
    ScanCause take() {
        return causes.take();
    }

    void refundUrgent() {
        coalescer.refundUrgent();
    }

    /** No scan starts after this; a running one finishes. */
    void stop() {
        coalescer.close();
        scanThread.shutdown();
    }

    boolean stopped() {
        return scanThread.isShutdown();
    }

    void awaitLastScan() {
        try {
            if (!scanThread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("A scan was still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
