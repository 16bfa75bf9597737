package io.wgmon.trigger;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {
    @Test
    void doublesFromTheInitialDelayUpToTheCapAndResets() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        List<Long> delays = IntStream.range(0, 9).mapToObj(i -> backoff.nextDelay().toMillis()).toList();
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L), delays);
        backoff.reset();
        assertEquals(Duration.ofMillis(100), backoff.nextDelay());
    }
}
