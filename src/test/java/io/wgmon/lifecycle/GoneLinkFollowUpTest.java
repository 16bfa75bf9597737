package io.wgmon.lifecycle;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.timing.ManualTimers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * After a link went away, scans are asked for again until one no longer reads that interface: a dying
 * daemon's socket may accept and not answer (the scan fails and keeps the device) for a while. Logical time.
 */
class GoneLinkFollowUpTest {
    private final ManualTimers timers = new ManualTimers();
    private final AtomicInteger scans = new AtomicInteger();
    private final AtomicBoolean stillRead = new AtomicBoolean(true);
    private final LifecycleWatcher watcher = new LifecycleWatcher(false, Optional.empty(), name -> true, timers, new SimpleMeterRegistry());

    GoneLinkFollowUpTest() {
        watcher.start(scans::incrementAndGet, name -> name.equals("wg0") && stillRead.get());
    }

    @Test
    void scansGoOnUntilTheInterfaceIsListedAbsent() {
        watcher.followUntilAbsent("wg0");
        timers.advance(Duration.ofMillis(250));
        timers.advance(Duration.ofMillis(250));
        timers.advance(Duration.ofMillis(500));
        assertEquals(3, scans.get(), "the socket still fails: scanned at 250, 500 and 1000 ms");
        stillRead.set(false);
        timers.advance(Duration.ofSeconds(10));
        assertEquals(3, scans.get(), "listed absent: no more follow-ups");
        assertEquals(0, timers.pending().size());
    }

    @Test
    void theFollowUpsAreBounded() {
        watcher.followUntilAbsent("wg0");
        for (int i = 0; i < 100; i++) {
            timers.advance(Duration.ofMillis(250));
        }
        assertEquals(LifecycleWatcher.GONE_FOLLOW_UPS.size(), scans.get());
        assertEquals(0, timers.pending().size());
    }

    @Test
    void anInterfaceTheLastScanDidNotReadNeedsNoFollowUp() {
        watcher.followUntilAbsent("other0");
        timers.advance(Duration.ofSeconds(10));
        assertEquals(0, scans.get());
    }

    @Test
    void closingCancelsTheFollowUps() {
        watcher.followUntilAbsent("wg0");
        watcher.close();
        timers.advance(Duration.ofSeconds(10));
        assertEquals(0, scans.get());
    }
}
