package io.wgmon.timing;

import io.smallrye.mutiny.subscription.Cancellable;

import java.time.Duration;
import java.time.Instant;

/**
 * wgmon's one source of one-shot timers and of "now" for everything that waits: scan coalescing
 * windows, the idle tick and webhook retries (docs/architecture.md#threads). Production uses {@link VertxTimers}; tests use a manual
 * implementation that moves time only when told, so no test waits in real time.
 */
public interface Timers {

    /** The current instant on this facility's clock: the one that decides when timers fire. */
    Instant now();

    /** Monotonic nanoseconds on the same clock, for measuring windows. */
    long nanoTime();

    /**
     * Runs {@code task} once, {@code delay} from now (at once for zero or negative delays), on the
     * facility's timer thread. The task must not block: hand blocking work to its own thread.
     */
    Cancellable schedule(Duration delay, Runnable task);
}
