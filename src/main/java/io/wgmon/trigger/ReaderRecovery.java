package io.wgmon.trigger;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.LongFunction;

/**
 * How a reader loop gets over a failed round: count the error, log it, and wait a delay that
 * grows while failures follow each other, so a persistent error never makes the loop spin.
 * Each method that waits returns false when the source is stopping and the loop should end.
 */
final class ReaderRecovery {
    private final PacketSourceMetrics metrics;
    private final Backoff backoff;
    private final ReaderPause pause;
    private final Logger log;
    private final String description;

    ReaderRecovery(PacketSourceMetrics metrics, Backoff backoff, ReaderPause pause, Logger log, String description) {
        this.metrics = metrics;
        this.backoff = backoff;
        this.pause = pause;
        this.log = log;
        this.description = description;
    }

    /** A round went well: the next failure waits the shortest delay again. */
    void succeeded() {
        backoff.reset();
    }

    /** An expected kind of error, e.g. a failed receive: logged as a warning with its message. */
    boolean retryAfter(String error) {
        return pauseAfter(delayMillis -> error + "; retrying in " + delayMillis + " ms");
    }

    /** An error the loop did not expect: logged with its stack trace. */
    boolean retryAfterUnexpected(RuntimeException e) {
        metrics.error();
        log.errorf(e, "%s: unexpected error in the reader", description);
        return pause.await(backoff.nextDelay());
    }

    /** Counts an error and waits; {@code warning} words the log line from the delay in milliseconds. */
    boolean pauseAfter(LongFunction<String> warning) {
        metrics.error();
        Duration delay = backoff.nextDelay();
        log.warnf("%s: %s", description, warning.apply(delay.toMillis()));
        return pause.await(delay);
    }
}
