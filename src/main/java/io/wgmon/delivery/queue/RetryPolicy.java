package io.wgmon.delivery.queue;

import io.wgmon.delivery.http.ReceiverReply;
import io.wgmon.timing.Backoff;
import io.wgmon.timing.Timers;

import java.time.Duration;
import java.util.Optional;

/**
 * One receiver's retry decisions in one place (docs/architecture.md#delivery): the backoff of each delivery, the
 * {@link Circuit} across all of them, and the receiver's Retry-After, read on the policy's clock
 * ({@link Timers#now()}), never the wall clock. Not thread-safe: it lives on its receiver queue's context.
 */
public final class RetryPolicy {
    private final Backoff backoff;
    private final Circuit circuit;
    private final Timers timers;

    RetryPolicy(DeliveryPolicy policy) {
        this.backoff = policy.backoff();
        this.circuit = new Circuit(policy.circuitThreshold());
        this.timers = policy.timers();
    }

    /** The wait a reply asks for: only 429 and 503 may carry a Retry-After. */
    public Optional<Duration> retryAfter(ReceiverReply reply) {
        return ReplyOutcome.mayCarryRetryAfter(reply.status())
                ? RetryAfter.parse(reply.retryAfter(), timers.now())
                : Optional.empty();
    }

    /** @return whether this failed attempt opened the circuit */
    boolean failed(boolean probe) {
        return circuit.failed(probe);
    }

    /** @return whether the circuit was open (and is closed now) */
    boolean answered() {
        return circuit.answered();
    }

    boolean circuitOpen() {
        return circuit.isOpen();
    }

    int threshold() {
        return circuit.threshold();
    }

    /** The wait before a delivery's next attempt, while the circuit is closed. */
    public Duration retryDelay(int failedAttempts, Optional<Duration> retryAfter) {
        return backoff.delay(failedAttempts, retryAfter);
    }

    /** The wait before the open circuit's next probe, growing with each failed probe. */
    Duration probeDelay(Optional<Duration> retryAfter) {
        return backoff.delay(circuit.nextProbe(), retryAfter);
    }
}
