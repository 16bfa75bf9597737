package io.wgmon.tracking;

import io.smallrye.mutiny.subscription.Cancellable;
import io.wgmon.timing.Timers;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * The idle check's clock (docs/architecture.md#threads): a one-shot timer on the shared {@link Timers},
 * set again after each tick, that exists only while at least one peer is connected. An idle
 * monitor therefore has no timer at all and nothing wakes up for it. (quarkus-scheduler's simple
 * scheduler was the clock before: its trigger check ran every second from start-up whether or not
 * a job existed, most of the CPU wgmon used at rest; docs/benchmarks.md#profiles-behind-code-choices.)
 */
final class IdleTicker {
    private static final Logger LOG = Logger.getLogger(IdleTicker.class);

    private final Timers timers;
    private final Duration tick;
    private final Runnable onTick;
    /** The next tick's timer, or null while no tick is needed; a replaced timer that fires does nothing. */
    private Cancellable next;

    IdleTicker(Timers timers, Duration tick, Runnable onTick) {
        this.timers = timers;
        this.tick = tick;
        this.onTick = onTick;
    }

    synchronized void needed(boolean needed) {
        if (needed && next == null) {
            scheduleNext();
            LOG.debugf("Idle checks every %s started", tick);
        } else if (!needed && next != null) {
            next.cancel();
            next = null;
            LOG.debug("Idle checks stopped: no peer connected");
        }
    }

    synchronized boolean running() {
        return next != null;
    }

    private void scheduleNext() {
        Cancellable[] self = new Cancellable[1];
        self[0] = timers.schedule(tick, () -> due(self[0]));
        next = self[0];
    }

    private void due(Cancellable timer) {
        synchronized (this) {
            if (next != timer) {
                return;
            }
            scheduleNext();
        }
        onTick.run();
    }
}
