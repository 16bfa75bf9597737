package io.wgmon.tracking;

import io.wgmon.timing.ManualTimers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UrgentRechecksTest {
    private final ManualTimers timers = new ManualTimers();
    private final AtomicInteger requested = new AtomicInteger();
    private final UrgentRechecks rechecks = new UrgentRechecks(timers, requested::incrementAndGet);

    /** Plays the scan thread: each requested recheck is scanned at once and finds a connect or not. */
    private void scanRequestedRechecks(boolean foundConnect) {
        while (requested.get() > 0) {
            requested.decrementAndGet();
            rechecks.scanned(ScanCause.RECHECK, foundConnect);
        }
    }

    @Test
    void anUrgentScanThatFoundTheConnectNeedsNoRecheck() {
        rechecks.scanned(ScanCause.URGENT, true);
        assertEquals(List.of(), timers.pending());
    }

    @Test
    void anUrgentScanThatFoundNothingIsRecheckedSoon() {
        rechecks.scanned(ScanCause.URGENT, false);
        assertEquals(List.of(Duration.ofMillis(5)), timers.pending());
        timers.advance(Duration.ofMillis(5));
        assertEquals(1, requested.get());
    }

    @Test
    void rechecksStopAtTheFirstThatFindsTheConnect() {
        rechecks.scanned(ScanCause.URGENT, false);
        timers.advance(Duration.ofMillis(5));
        scanRequestedRechecks(false);
        assertEquals(List.of(Duration.ofMillis(25)), timers.pending(), "the second recheck waits longer");
        timers.advance(Duration.ofMillis(25));
        scanRequestedRechecks(true);
        assertEquals(List.of(), timers.pending());
    }

    /**
     * A loaded wireguard-go may record a handshake well after the session's first data packet reached the
     * capture (docs/benchmarks.md, "Why connects waited seconds"): quick rechecks alone all read the old
     * handshake, and the connect waited for an unrelated scan.
     */
    @Test
    void aServerSlowToRecordTheHandshakeIsFoundByALaterRecheck() {
        Duration recordedAfter = Duration.ofMillis(600);
        long start = timers.nanoTime();
        rechecks.scanned(ScanCause.URGENT, false);
        Duration foundAt = null;
        while (foundAt == null && !timers.pending().isEmpty()) {
            timers.advance(timers.pending().get(0));
            Duration now = Duration.ofNanos(timers.nanoTime() - start);
            boolean found = now.compareTo(recordedAfter) >= 0;
            requested.set(0);
            rechecks.scanned(ScanCause.RECHECK, found);
            foundAt = found ? now : null;
        }
        assertEquals(Duration.ofMillis(880), foundAt, "the recheck after 500 ms more finds it, 280 ms after it was recorded");
    }

    @Test
    void aFruitlessUrgentScanGetsAtMostSixRechecksOverTwoSeconds() {
        AtomicInteger total = new AtomicInteger();
        UrgentRechecks counted = new UrgentRechecks(timers, () -> {
            total.incrementAndGet();
            requested.incrementAndGet();
        });
        counted.scanned(ScanCause.URGENT, false);
        for (int i = 0; i < 10; i++) {
            timers.advance(Duration.ofSeconds(1));
            while (requested.get() > 0) {
                requested.decrementAndGet();
                counted.scanned(ScanCause.RECHECK, false);
            }
        }
        assertEquals(6, total.get());
        assertEquals(List.of(), timers.pending());
    }

    @Test
    void otherScansLeaveAPendingRecheckAlone() {
        rechecks.scanned(ScanCause.URGENT, false);
        rechecks.scanned(ScanCause.DEADLINE, false);
        rechecks.scanned(ScanCause.PACKET, true);
        assertEquals(List.of(Duration.ofMillis(5)), timers.pending());
    }

    @Test
    void aNewUrgentScanStartsTheDelaysAgain() {
        rechecks.scanned(ScanCause.URGENT, false);
        timers.advance(Duration.ofMillis(5));
        scanRequestedRechecks(false);
        rechecks.scanned(ScanCause.URGENT, false);
        assertEquals(List.of(Duration.ofMillis(5)), timers.pending(), "one pending recheck, from the first delay");
    }

    @Test
    void closedMeansNoMoreRechecks() {
        rechecks.scanned(ScanCause.URGENT, false);
        rechecks.close();
        timers.advance(Duration.ofSeconds(1));
        assertEquals(0, requested.get());
        rechecks.scanned(ScanCause.RECHECK, false);
        assertEquals(List.of(), timers.pending());
    }
}
