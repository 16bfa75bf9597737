package io.wgmon.tracking;

import io.wgmon.timing.ManualTimers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    void spacingDoublesUpToAMinuteForTheFirstTenMinutesThenNothing() {
        Instant start = timers.now();
        probe.rearm();
        List<Integer> scansBySecond = new ArrayList<>();
        for (int second : List.of(4, 5, 14, 15, 34, 35, 74, 75, 134, 135, 195)) {
            timers.advance(Duration.between(timers.now(), start.plusSeconds(second)));
            scansBySecond.add(scans.get());
        }
        assertEquals(List.of(0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6), scansBySecond,
                "a tick after start, then 10, 20, 40 s apart, then a minute apart");
        timers.advance(Duration.between(timers.now(), start.plus(NoPacketProbe.PROBE_FOR)));
        assertEquals(12, scans.get(), "a dozen in the first ten minutes, not one per 5 s tick (120)");
        timers.advance(Duration.ofMinutes(1));
        assertEquals(13, scans.get(), "the one armed before the ten minutes ended");
        scans.set(0);
        timers.advance(Duration.ofHours(10));
        assertEquals(0, scans.get(), "nothing periodic past the first ten minutes");
        assertEquals(List.of(), timers.pending(), "nothing armed");
    }

    @Test
    void aTickLongerThanAMinuteKeepsItsSpacing() {
        NoPacketProbe slow = new NoPacketProbe(timers, Duration.ofMinutes(2), packets::get, scans::incrementAndGet);
        slow.rearm();
        timers.advance(Duration.ofMinutes(2));
        assertEquals(1, scans.get());
        slow.rearm();
        timers.advance(Duration.ofMinutes(1));
        assertEquals(1, scans.get(), "never sooner than a tick");
        timers.advance(Duration.ofMinutes(1));
        assertEquals(2, scans.get(), "and a tick apart, not more");
    }

    @Test
    void nothingOnceAPacketArrived() {
        probe.rearm();
        timers.advance(Duration.ofMinutes(1));
        assertEquals(3, scans.get());
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
