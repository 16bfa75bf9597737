package io.wgmon.tracking;

import io.quarkus.scheduler.Scheduler;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * The idle check's clock: a Quarkus scheduler job that exists only while at least one peer is
 * connected, so an idle monitor has no timer of its own.
 */
final class IdleTicker {
    private static final Logger LOG = Logger.getLogger(IdleTicker.class);
    static final String JOB = "wgmon-idle-tick";

    private final Scheduler scheduler;
    private final Duration tick;
    private final Runnable onTick;
    private boolean scheduled;

    IdleTicker(Scheduler scheduler, Duration tick, Runnable onTick) {
        this.scheduler = scheduler;
        this.tick = tick;
        this.onTick = onTick;
    }

    synchronized void needed(boolean needed) {
        if (needed && !scheduled) {
            scheduler.newJob(JOB)
                    .setInterval(tick.toString())
                    .setTask(execution -> onTick.run())
                    .schedule();
            scheduled = true;
            LOG.debugf("Idle checks every %s started", tick);
        } else if (!needed && scheduled) {
            scheduler.unscheduleJob(JOB);
            scheduled = false;
            LOG.debug("Idle checks stopped: no peer connected");
        }
    }

    synchronized boolean running() {
        return scheduled;
    }
}
