package io.wgmon.handshake;

import java.time.Duration;
import java.time.Instant;

/**
 * A leaky bucket for reports over all sources: {@code burst} at once, then one per {@code interval}. Keeps a flood
 * of spoofed sources from becoming a flood of events. Logical time; not thread-safe.
 */
final class ReportBudget {
    private final int burst;
    private final Duration interval;
    private double tokens;
    private Instant last;

    ReportBudget(int burst, Duration interval) {
        this.burst = burst;
        this.interval = interval;
        this.tokens = burst;
    }

    boolean take(Instant now) {
        if (last != null && now.isAfter(last)) {
            tokens = Math.min(burst, tokens + (double) Duration.between(last, now).toNanos() / interval.toNanos());
        }
        if (last == null || now.isAfter(last)) {
            last = now;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
