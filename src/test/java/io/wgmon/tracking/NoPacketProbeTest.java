package io.wgmon.tracking;

import io.wgmon.timing.ManualTimers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NoPacketProbeTest {
    private final ManualTimers timers = new ManualTimers();
    private final AtomicBoolean packets = new AtomicBoolean();
    private final AtomicInteger scans = new AtomicInteger();
    private NoPacketProbe probe;

    NoPacketProbeTest() {
        // each requested scan runs at once and rearms, as the tracking service does after a scan
        probe = new NoPacketProbe(timers, Duration.ofSeconds(5), packets::get, () -> {
            scans.incrementAndGet();
            probe.rearm();
        });
    }

    @Test
    void everyTickForTheFirstTenMinutesThenNothing() {
        probe.rearm();
        timers.advance(Duration.ofMinutes(10));
        assertEquals(120, scans.get(), "one per 5 s tick for the first ten minutes");
        scans.set(0);
        timers.advance(Duration.ofHours(10));
        assertEquals(0, scans.get(), "nothing periodic past the first ten minutes");
        assertEquals(List.of(), timers.pending(), "nothing armed");
    }

    @Test
    void nothingOnceAPacketArrived() {
        probe.rearm();
        timers.advance(Duration.ofMinutes(1));
        assertEquals(12, scans.get());
        packets.set(true);
        scans.set(0);
        timers.advance(Duration.ofHours(1));
        assertEquals(0, scans.get());
        assertEquals(List.of(), timers.pending(), "nothing armed once packets arrive");
    }

    @Test
    void nothingAtAllWhenPacketsArrive() {
        packets.set(true);
        probe.rearm();
        timers.advance(Duration.ofHours(1));
        assertEquals(0, scans.get());
    }

    @Test
    void closeStopsIt() {
        probe.rearm();
        probe.close();
        timers.advance(Duration.ofHours(1));
        assertEquals(0, scans.get());
    }
}
