package io.wgmon.timing;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Retry delays: {@code initial} doubling per failed attempt up to {@code max}, with "equal jitter"
 * (uniform in [base/2, base]) so receivers coming back are not hit by every lane at the same moment.
 * A receiver's Retry-After is a lower bound, still capped at {@code max}.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    /** @param random must be safe for use from several threads, e.g. a {@link java.util.Random} */
    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < retry-initial <= retry-max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** @param failedAttempts attempts that failed so far, at least 1 */
    public Duration delay(int failedAttempts) {
        long base = baseNanos(failedAttempts);
        long half = base / 2;
        return Duration.ofNanos(half + random.nextLong(base - half + 1));
    }

    public Duration delay(int failedAttempts, Optional<Duration> retryAfter) {
        Duration delay = delay(failedAttempts);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
            delay = retryAfter.get();
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    private long baseNanos(int failedAttempts) {
        long maxNanos = max.toNanos();
        long base = initial.toNanos();
        for (int i = 1; i < failedAttempts && base < maxNanos; i++) {
            base = base > maxNanos / 2 ? maxNanos : base * 2;
        }
        return Math.min(base, maxNanos);
    }
}
