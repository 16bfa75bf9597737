package io.wgmon.capture;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Loss warnings in logical time: one a minute at most, each with the losses since the one before. */
class LossWarningsTest {
    private static final Instant START = Instant.parse("2026-12-06T23:00:00Z");

    @Test
    void aFloodOfOverrunsIsOneWarningAMinuteWithTheCount() {
        LossWarnings warnings = new LossWarnings();
        assertEquals(1, warnings.lost(START), "the first loss is told at once");
        for (int ms = 1; ms < 60_000; ms += 10) {
            assertEquals(0, warnings.lost(START.plusMillis(ms)), "quiet within the minute");
        }
        assertEquals(6001, warnings.lost(START.plusSeconds(60)), "the next line counts the 6000 held back and itself");
        assertEquals(0, warnings.lost(START.plusSeconds(61)));
        assertEquals(2, warnings.lost(START.plus(Duration.ofHours(1))), "a quiet window's losses come with the next");
        assertEquals(1, warnings.lost(START.plus(Duration.ofHours(2))), "a lone loss after a quiet hour is its own line");
    }
}
