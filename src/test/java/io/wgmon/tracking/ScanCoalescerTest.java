package io.wgmon.tracking;

import io.wgmon.timing.ManualTimers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In logical time: the window's timers are {@link ManualTimers}, the scan thread is a queue this
 * test drains, and a scan "takes" time by moving the clock while it runs.
 */
class ScanCoalescerTest {
    private static final Duration WINDOW = Duration.ofMillis(400);
    private static final Duration STEP = Duration.ofMillis(1);

    private final ManualTimers timers = new ManualTimers();
    private final ArrayDeque<Runnable> scanThread = new ArrayDeque<>();
    private final List<Long> starts = new ArrayList<>();
    private Duration scanTime = Duration.ZERO;
    private boolean queuedWhileScanning;
    private final ScanCoalescer coalescer = started(new ScanCoalescer(WINDOW, timers, scanThread::add), this::scan);

    private static ScanCoalescer started(ScanCoalescer coalescer, Runnable scan) {
        coalescer.start(scan);
        return coalescer;
    }

    private void scan() {
        starts.add(timers.nanoTime());
        for (long ms = 0; ms < scanTime.toMillis(); ms++) {
            timers.advance(STEP);
            queuedWhileScanning |= !scanThread.isEmpty();
        }
    }

    /** Lets {@code span} of logical time pass, running each scan as soon as it is handed over. */
    private void pass(Duration span) {
        drainScans();
        for (long ms = 0; ms < span.toMillis(); ms++) {
            timers.advance(STEP);
            drainScans();
        }
    }

    private void drainScans() {
        while (!scanThread.isEmpty()) {
            scanThread.poll().run();
        }
    }

    /** A request made by the outside world at {@code at} from now, while time passes. */
    private void requestAt(Duration at, boolean urgent) {
        timers.schedule(at, () -> coalescer.request(urgent));
    }

    @Test
    void aBurstGivesOneLeadingAndOneTrailingScan() {
        long begin = timers.nanoTime();
        for (int i = 0; i < 1000; i++) {
            coalescer.request(false);
        }
        pass(WINDOW.multipliedBy(3));
        assertEquals(2, starts.size(), "leading + trailing");
        assertEquals(begin, starts.get(0), "the leading scan does not wait for the window");
        assertEquals(WINDOW.toNanos(), starts.get(1) - starts.get(0), "the trailing scan waits for the window");
    }

    @Test
    void aLoneRequestScansOnceWithoutATrailingScan() {
        coalescer.request(false);
        pass(WINDOW.multipliedBy(3));
        assertEquals(1, starts.size());
        assertEquals(List.of(), timers.pending(), "no timer left behind");
    }

    @Test
    void scansNeverOverlapAndRequestsDuringAScanCollapseIntoOne() {
        scanTime = Duration.ofMillis(500);
        coalescer.request(true);
        for (int i = 1; i < 10; i++) {
            requestAt(Duration.ofMillis(20L * i), i % 2 == 0);
        }
        pass(Duration.ofMillis(2000));
        assertTrue(!queuedWhileScanning, "no scan was handed to the scan thread while one ran");
        assertEquals(2, starts.size(), "one running + one pending, never a queue: " + starts.size());
        assertEquals(Duration.ofMillis(500).toNanos(), starts.get(1) - starts.get(0),
                "the pending urgent request runs as soon as the first scan ends");
    }

    @Test
    void anUrgentRequestSkipsTheWindow() {
        coalescer.request(false);
        pass(Duration.ofMillis(50));
        coalescer.request(false);
        coalescer.request(true);
        pass(WINDOW.multipliedBy(3));
        assertEquals(2, starts.size());
        assertEquals(Duration.ofMillis(50).toNanos(), starts.get(1) - starts.get(0), "urgent scan ran inside the window");
    }

    @Test
    void aRecheckWhileQuietRunsAtOnceAndSpendsNoToken() {
        for (int i = 0; i < ScanCoalescer.URGENT_BURST; i++) {
            coalescer.request(true);
            pass(Duration.ofMillis(5));
        }
        long before = timers.nanoTime();
        coalescer.requestRecheck();
        drainScans();
        assertEquals(before, starts.get(starts.size() - 1), "the recheck ran inside the window, without a token");
        int scans = starts.size();
        coalescer.request(true);
        drainScans();
        assertEquals(scans, starts.size(), "the bucket is still empty: the urgent request waits for the window");
    }

    @Test
    void aRecheckJoinsAPendingTrailingScanInsteadOfAddingOne() {
        coalescer.request(false);
        coalescer.request(false);
        drainScans();
        assertEquals(1, timers.pending().size(), "a trailing scan is pending");
        coalescer.requestRecheck();
        pass(WINDOW.multipliedBy(3));
        assertEquals(2, starts.size(), "leading + trailing, no scan of the recheck's own");
    }

    @Test
    void aRecheckDuringAScanIsOneMoreScanAtTheWindowsEnd() {
        scanTime = Duration.ofMillis(50);
        coalescer.request(true);
        requestAt(Duration.ofMillis(10), false);
        timers.schedule(Duration.ofMillis(20), coalescer::requestRecheck);
        pass(WINDOW.multipliedBy(3));
        assertEquals(2, starts.size());
        assertEquals(WINDOW.toNanos(), starts.get(1) - starts.get(0), "merged with the pending request");
    }

    @Test
    void afterAQuietWindowTheNextRequestLeadsAgain() {
        coalescer.request(false);
        pass(WINDOW.multipliedBy(2));
        long before = timers.nanoTime();
        coalescer.request(false);
        pass(WINDOW.dividedBy(2));
        assertEquals(2, starts.size());
        assertEquals(before, starts.get(1));
    }

    @Test
    void aFailingScanDoesNotStopLaterScans() {
        List<Long> failingStarts = new ArrayList<>();
        ScanCoalescer failing = started(new ScanCoalescer(Duration.ofMillis(50), timers, scanThread::add), () -> {
            failingStarts.add(timers.nanoTime());
            throw new OutOfMemoryError("boom");
        });
        failing.request(false);
        pass(Duration.ofMillis(200));
        failing.request(false);
        pass(Duration.ofMillis(200));
        assertEquals(2, failingStarts.size());
    }

    @Test
    void aRequestBeforeStartIsAnError() {
        ScanCoalescer unstarted = new ScanCoalescer(WINDOW, timers, scanThread::add);
        assertThrows(IllegalStateException.class, () -> unstarted.request(false));
        unstarted.start(this::scan);
        assertThrows(IllegalStateException.class, () -> unstarted.start(this::scan), "started once");
    }

    @Test
    void afterCloseNothingRuns() {
        coalescer.close();
        coalescer.request(true);
        pass(Duration.ofMillis(100));
        assertEquals(0, starts.size());
    }

    @Test
    void closingCancelsAPendingTrailingScan() {
        coalescer.request(false);
        coalescer.request(false);
        drainScans();
        assertEquals(1, timers.pending().size(), "the trailing scan waits on a timer");
        coalescer.close();
        pass(WINDOW.multipliedBy(2));
        assertEquals(1, starts.size());
    }

    @Test
    void aFloodOfUrgentRequestsIsRationedByTheTokenBucket() {
        // 400 urgent requests per second for 10 s, as forged "handshake completed" packets would give
        for (int i = 1; i <= 4000; i++) {
            requestAt(Duration.ofMillis(i * 10L / 4), true);
        }
        pass(Duration.ofSeconds(10));
        long perWindow = Duration.ofSeconds(10).toNanos() / WINDOW.toNanos();
        long refills = Duration.ofSeconds(10).toNanos() / ScanCoalescer.URGENT_REFILL.toNanos();
        assertTrue(starts.size() <= perWindow + refills + ScanCoalescer.URGENT_BURST + 1,
                "scans " + starts.size() + " in 10 s");
        for (int i = 1; i < starts.size(); i++) {
            assertTrue(starts.get(i) - starts.get(i - 1) <= WINDOW.toNanos(), "no request waits longer than a window");
        }
    }

    @Test
    void urgencyComesBackOnceTheBucketRefills() {
        for (int i = 0; i < ScanCoalescer.URGENT_BURST + 1; i++) {
            coalescer.request(true);
            drainScans();
        }
        assertEquals(ScanCoalescer.URGENT_BURST, starts.size(), "the request after the burst waits for the window");
        pass(ScanCoalescer.URGENT_REFILL);
        long before = timers.nanoTime();
        coalescer.request(true);
        drainScans();
        assertEquals(before, starts.get(starts.size() - 1), "a refilled token makes the next urgent request run at once");
    }

    @Test
    void urgentScansThatFindAConnectGiveTheirTokenBack() {
        for (int i = 0; i < 3 * ScanCoalescer.URGENT_BURST; i++) {
            long before = timers.nanoTime();
            coalescer.request(true);
            drainScans();
            assertEquals(before, starts.get(starts.size() - 1), "urgent request " + i + " runs at once");
            coalescer.refundUrgent(); // that scan reported a peer connecting
            pass(Duration.ofMillis(50));
        }
    }
}
