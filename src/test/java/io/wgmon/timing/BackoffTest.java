package io.wgmon.timing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60), new Random(7));

    @Test
    void doublesFromInitialToMaxWithEqualJitter() {
        long[] bases = {500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
        for (int attempt = 1; attempt <= bases.length; attempt++) {
            long base = bases[attempt - 1];
            for (int i = 0; i < 200; i++) {
                long delay = backoff.delay(attempt).toMillis();
                assertTrue(delay >= base / 2 && delay <= base, "attempt " + attempt + ": " + delay);
            }
        }
        assertTrue(backoff.delay(Integer.MAX_VALUE).compareTo(Duration.ofSeconds(60)) <= 0);
    }

    @Test
    void jitterSpreadsDelays() {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 200; i++) {
            long delay = backoff.delay(3).toMillis();
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertTrue(max - min > 500, "delays spread over [1000, 2000] ms, got " + min + ".." + max);
    }

    @Test
    void retryAfterIsALowerBoundCappedAtMax() {
        assertEquals(Duration.ofSeconds(10), backoff.delay(1, Optional.of(Duration.ofSeconds(10))));
        assertEquals(Duration.ofSeconds(60), backoff.delay(1, Optional.of(Duration.ofHours(1))));
        assertTrue(backoff.delay(1, Optional.of(Duration.ZERO)).toMillis() >= 250);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));
    }
}
