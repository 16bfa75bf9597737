package io.wgmon.delivery.queue;

/**
 * One receiver's circuit breaker: after {@code threshold} consecutive failed attempts (over all peers) it
 * opens, and the receiver gets one probe at a time instead of a retry per peer; any answer closes it.
 * Not thread-safe: it lives on its receiver queue's context.
 */
final class Circuit {
    private final int threshold;
    private int consecutiveFailures;
    private int failedProbes;

    Circuit(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("circuit threshold must be at least 1, got " + threshold);
        }
        this.threshold = threshold;
    }

    boolean isOpen() {
        return consecutiveFailures >= threshold;
    }

    /** @return whether this failure opened the circuit */
    boolean failed(boolean probe) {
        consecutiveFailures++;
        if (probe) {
            failedProbes++;
        }
        return consecutiveFailures == threshold;
    }

    /** @return whether the circuit was open */
    boolean answered() {
        boolean wasOpen = isOpen();
        consecutiveFailures = 0;
        failedProbes = 0;
        return wasOpen;
    }

    /** Which probe comes next, 1 for the first: the probe delay grows with it like a retry's. */
    int nextProbe() {
        return failedProbes + 1;
    }

    int threshold() {
        return threshold;
    }
}
