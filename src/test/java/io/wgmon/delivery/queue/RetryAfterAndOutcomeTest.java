package io.wgmon.delivery.queue;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryAfterAndOutcomeTest {
    @Test
    void parsesRetryAfterSecondsAndDates() {
        Instant now = Instant.parse("2026-11-25T23:52:51Z");
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", now));
        assertEquals(Optional.of(Duration.ofSeconds(9)), RetryAfter.parse("Wed, 25 Nov 2026 23:53:00 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Wed, 25 Nov 2026 23:00:00 GMT", now));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", now));
        assertEquals(Optional.empty(), RetryAfter.parse("-5", now));
        assertEquals(Optional.empty(), RetryAfter.parse(null, now));
        assertTrue(RetryAfter.parse("99999999999999999999999", now).orElseThrow().toDays() > 1000);
    }

    @Test
    void classifiesStatuses() {
        assertEquals(ReplyOutcome.DELIVERED, ReplyOutcome.of(200));
        assertEquals(ReplyOutcome.DELIVERED, ReplyOutcome.of(204));
        assertEquals(ReplyOutcome.RETRY, ReplyOutcome.of(500));
        assertEquals(ReplyOutcome.RETRY, ReplyOutcome.of(503));
        assertEquals(ReplyOutcome.RETRY, ReplyOutcome.of(408));
        assertEquals(ReplyOutcome.RETRY, ReplyOutcome.of(429));
        assertEquals(ReplyOutcome.REJECTED, ReplyOutcome.of(400));
        assertEquals(ReplyOutcome.REJECTED, ReplyOutcome.of(404));
        assertEquals(ReplyOutcome.REJECTED, ReplyOutcome.of(302));
    }
}
