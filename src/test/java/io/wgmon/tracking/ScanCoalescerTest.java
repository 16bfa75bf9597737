package io.wgmon.tracking;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanCoalescerTest {
    private static final Duration WINDOW = Duration.ofMillis(400);
    private final List<Long> starts = new CopyOnWriteArrayList<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private volatile long scanMillis = 0;
    private final ScanCoalescer coalescer = new ScanCoalescer(this::scan, WINDOW);

    private void scan() {
        starts.add(System.nanoTime());
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        sleep(scanMillis);
        concurrent.decrementAndGet();
    }

    @AfterEach
    void close() {
        coalescer.close();
    }

    @Test
    void aBurstGivesOneLeadingAndOneTrailingScan() {
        long begin = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            coalescer.request(false);
        }
        sleep(WINDOW.toMillis() * 3);
        assertEquals(2, starts.size(), "leading + trailing");
        assertTrue(starts.get(1) - starts.get(0) >= WINDOW.toNanos() - TimeUnit.MILLISECONDS.toNanos(5),
                "the trailing scan waits for the window");
        assertTrue(starts.get(0) - begin < WINDOW.toNanos(), "the leading scan does not wait for the window");
    }

    @Test
    void aLoneRequestScansOnceWithoutATrailingScan() {
        coalescer.request(false);
        sleep(WINDOW.toMillis() * 3);
        assertEquals(1, starts.size());
    }

    @Test
    void scansNeverOverlapAndRequestsDuringAScanCollapseIntoOne() {
        scanMillis = 500;
        for (int i = 0; i < 10; i++) {
            coalescer.request(i % 2 == 0);
            sleep(20);
        }
        sleep(2000);
        assertEquals(1, maxConcurrent.get());
        assertEquals(2, starts.size(), "one running + one pending, never a queue: " + starts.size());
    }

    @Test
    void anUrgentRequestSkipsTheWindow() {
        coalescer.request(false);
        sleep(50);
        coalescer.request(false);
        coalescer.request(true);
        sleep(WINDOW.toMillis() * 3);
        assertEquals(2, starts.size());
        assertTrue(starts.get(1) - starts.get(0) < WINDOW.toNanos() - TimeUnit.MILLISECONDS.toNanos(100),
                "urgent scan ran inside the window");
    }

    @Test
    void afterAQuietWindowTheNextRequestLeadsAgain() {
        coalescer.request(false);
        sleep(WINDOW.toMillis() * 2);
        long before = System.nanoTime();
        coalescer.request(false);
        sleep(WINDOW.toMillis() / 2);
        assertEquals(2, starts.size());
        assertTrue(starts.get(1) - before < WINDOW.toNanos() / 2);
    }

    @Test
    void aFailingScanDoesNotStopLaterScans() {
        ScanCoalescer failing = new ScanCoalescer(() -> {
            starts.add(System.nanoTime());
            throw new IllegalStateException("boom");
        }, Duration.ofMillis(50));
        try {
            failing.request(false);
            sleep(200);
            failing.request(false);
            sleep(200);
            assertEquals(2, starts.size());
        } finally {
            failing.close();
        }
    }

    @Test
    void afterCloseNothingRuns() {
        coalescer.close();
        coalescer.request(true);
        sleep(100);
        assertEquals(0, starts.size());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
