package io.wgmon.tracking;

import io.wgmon.timing.ManualTimers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleTickerTest {
    private final ManualTimers timers = new ManualTimers();
    private final AtomicInteger ticks = new AtomicInteger();
    private final IdleTicker ticker = new IdleTicker(timers, Duration.ofSeconds(1), ticks::incrementAndGet);

    @Test
    void noTimerExistsWhileNoPeerIsConnected() {
        ticker.needed(false);
        timers.advance(Duration.ofMinutes(5));
        assertEquals(0, ticks.get());
        assertEquals(List.of(), timers.pending(), "an idle monitor has no timer at all");
        assertFalse(ticker.running());
    }

    @Test
    void ticksOncePerIntervalWhileNeeded() {
        ticker.needed(true);
        assertTrue(ticker.running());
        assertEquals(List.of(Duration.ofSeconds(1)), timers.pending());
        timers.advance(Duration.ofMillis(999));
        assertEquals(0, ticks.get(), "the first tick is one interval after the first connect");
        timers.advance(Duration.ofMillis(1));
        assertEquals(1, ticks.get());
        timers.advance(Duration.ofSeconds(9));
        assertEquals(10, ticks.get());
        assertEquals(List.of(Duration.ofSeconds(1)), timers.pending(), "one timer at a time");
    }

    @Test
    void askingAgainWhileRunningDoesNotAddATimer() {
        ticker.needed(true);
        timers.advance(Duration.ofMillis(500));
        ticker.needed(true);
        assertEquals(1, timers.pending().size());
        timers.advance(Duration.ofMillis(500));
        assertEquals(1, ticks.get(), "the interval kept its phase");
    }

    @Test
    void stopsWhenTheLastPeerGoesAndStartsAfreshWithTheNext() {
        ticker.needed(true);
        timers.advance(Duration.ofSeconds(3));
        ticker.needed(false);
        assertEquals(List.of(), timers.pending());
        timers.advance(Duration.ofSeconds(10));
        assertEquals(3, ticks.get());
        ticker.needed(true);
        timers.advance(Duration.ofSeconds(2));
        assertEquals(5, ticks.get());
    }

    @Test
    void aTickThatStopsTheTickerLeavesNoTimerBehind() {
        IdleTicker[] self = new IdleTicker[1];
        self[0] = new IdleTicker(timers, Duration.ofSeconds(1), () -> self[0].needed(false));
        self[0].needed(true);
        timers.advance(Duration.ofSeconds(5));
        assertFalse(self[0].running());
        assertEquals(List.of(), timers.pending());
    }
}
