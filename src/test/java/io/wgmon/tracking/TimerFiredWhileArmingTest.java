package io.wgmon.tracking;

import io.wgmon.timing.PreemptedTimers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each timer of tracking fires before the thread that armed it has left {@code schedule} ({@link PreemptedTimers}):
 * the scan it stands for must still be asked for. A timer that took itself for a stale one here was lost for good
 * (no later scan rearmed a deadline already armed for the same instant, and a lost trailing scan held every later
 * plain request).
 */
class TimerFiredWhileArmingTest {
    private static final Duration TICK = Duration.ofSeconds(1);

    private final PreemptedTimers timers = new PreemptedTimers();
    private final ExecutorService scanThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        scanThread.shutdownNow();
    }

    @Test
    void aDeadlineAlreadyDueAsksForItsScan() throws InterruptedException {
        CountDownLatch asked = new CountDownLatch(1);
        DeadlineTimer timer = new DeadlineTimer(timers, TICK, () -> Optional.of(Instant.now().minusMillis(5)),
                asked::countDown);
        timer.rearm();
        assertTrue(asked.await(5, TimeUnit.SECONDS), "the due deadline's timer was lost");
    }

    @Test
    void aTrailingScanRunsAndLaterRequestsStillScan() throws Exception {
        Semaphore scans = new Semaphore(0);
        ScanCoalescer coalescer = new ScanCoalescer(Duration.ofSeconds(10), timers, scanThread);
        coalescer.start(scans::release);
        coalescer.request(false);
        assertTrue(scans.tryAcquire(5, TimeUnit.SECONDS), "the first scan");
        scanThread.submit(() -> { }).get(5, TimeUnit.SECONDS); // the first scan has finished
        coalescer.request(false); // within the window: a trailing scan
        assertTrue(scans.tryAcquire(5, TimeUnit.SECONDS), "the trailing scan's timer was lost");
        scanThread.submit(() -> { }).get(5, TimeUnit.SECONDS);
        coalescer.request(false);
        assertTrue(scans.tryAcquire(5, TimeUnit.SECONDS), "a request after the trailing scan");
    }

    @Test
    void anUrgentScanThatFoundNothingIsRechecked() throws InterruptedException {
        CountDownLatch rechecked = new CountDownLatch(1);
        new UrgentRechecks(timers, rechecked::countDown).scanned(ScanCause.URGENT, false);
        assertTrue(rechecked.await(5, TimeUnit.SECONDS), "the recheck's timer was lost");
    }

    @Test
    void anInitiationFromAnUnknownSourceGetsItsFallbackScan() throws InterruptedException {
        CountDownLatch scanned = new CountDownLatch(1);
        new HandshakeFallback(timers, scanned::countDown).initiated();
        assertTrue(scanned.await(5, TimeUnit.SECONDS), "the fallback's timer was lost");
    }

    @Test
    void theProbeScansWhileNoPacketCame() throws InterruptedException {
        CountDownLatch probed = new CountDownLatch(1);
        new NoPacketProbe(timers, TICK, () -> false, probed::countDown).rearm();
        assertTrue(probed.await(5, TimeUnit.SECONDS), "the probe's timer was lost");
    }
}
