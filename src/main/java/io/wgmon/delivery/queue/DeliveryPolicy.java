package io.wgmon.delivery.queue;

import io.wgmon.timing.Backoff;
import io.wgmon.timing.Timers;

import java.time.Duration;

/**
 * How every receiver's deliveries are kept and retried. Every wait (retry, probe, Retry-After) and every
 * age is measured on {@code timers}: its clock and its timers, never the wall clock directly.
 *
 * @param queueSize        events held per receiver without a store; beyond it new ones are dropped
 * @param circuitThreshold consecutive failures after which a receiver is only probed
 * @param maxAge           events older than this (by their time) are dropped instead of sent
 * @param spoolMaxBytes    with a store, the bound of each receiver's undelivered events in it
 */
public record DeliveryPolicy(int queueSize, Backoff backoff, int circuitThreshold, Duration maxAge,
                             long spoolMaxBytes, Timers timers) {

    public DeliveryPolicy {
        if (queueSize < 1) {
            throw new IllegalArgumentException("queue size must be at least 1, got " + queueSize);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("max age must be positive, got " + maxAge);
        }
    }
}
