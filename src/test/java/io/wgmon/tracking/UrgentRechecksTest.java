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

    @Test
    void aFruitlessUrgentScanGetsAtMostThreeRechecks() {
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
        assertEquals(3, total.get());
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
