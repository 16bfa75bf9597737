package io.wgmon.webhook;

import io.wgmon.timing.Backoff;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How every receiver's deliveries are kept and retried.
 *
 * @param queueSize        events held per receiver without a spool; beyond it new ones are dropped
 * @param circuitThreshold consecutive failures after which a receiver is only probed
 * @param maxAge           events older than this (by their time) are dropped instead of sent
 * @param spool            with a spool, each receiver keeps its events in {@code <dir>/<spool name>}
 */
public record DeliveryPolicy(int queueSize, Backoff backoff, int circuitThreshold, Duration maxAge,
                             Optional<Spooling> spool, Clock clock) {

    /** @param maxBytes bound of each receiver's spool */
    public record Spooling(Path dir, long maxBytes, Fsync fsync) {
    }

    public DeliveryPolicy {
        if (queueSize < 1) {
            throw new IllegalArgumentException("queue size must be at least 1, got " + queueSize);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("max age must be positive, got " + maxAge);
        }
    }
}
