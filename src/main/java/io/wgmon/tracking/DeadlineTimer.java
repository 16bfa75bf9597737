package io.wgmon.tracking;

import io.wgmon.timing.TimerSlot;
import io.wgmon.timing.Timers;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one timer behind disconnect checks (docs/architecture.md#deadlines): a one-shot timer on the
 * shared {@link Timers} for the earliest peer deadline, none while no peer is connected. When it fires
 * it looks again, since packets may have moved the deadline; only a deadline still due asks for a scan.
 * Deadline scans start at least a tick apart, however many deadlines fall due: one scan confirms them all.
 */
public final class DeadlineTimer {
    private final Timers timers;
    private final Duration tick;
    private final Supplier<Optional<Instant>> earliest;
    private final Runnable onDue;
    private final TimerSlot timer;
    private Instant armedFor;
    private Instant lastDue;

    /** @param onDue asks for a scan; must not block */
    public DeadlineTimer(Timers timers, Duration tick, Supplier<Optional<Instant>> earliest, Runnable onDue) {
        this.timers = timers;
        this.tick = tick;
        this.earliest = earliest;
        this.onDue = onDue;
        this.timer = new TimerSlot(timers);
    }

    /** Sets the timer for the earliest deadline now known (after each scan), or clears it when there is none. */
    synchronized void rearm() {
        Optional<Instant> next = earliest.get();
        if (next.isEmpty()) {
            cancel();
            return;
        }
        Instant at = next.get();
        if (lastDue != null && at.isBefore(lastDue.plus(tick))) {
            at = lastDue.plus(tick);
        }
        if (timer.armed() && at.equals(armedFor)) {
            return;
        }
        armedFor = at;
        timer.arm(Duration.between(timers.now(), at), this::fired);
    }

    synchronized boolean armed() {
        return timer.armed();
    }

    synchronized void close() {
        cancel();
    }

    private void fired(long ticket) {
        synchronized (this) {
            if (!timer.take(ticket)) {
                return;
            }
            armedFor = null;
            Optional<Instant> next = earliest.get();
            Instant now = timers.now();
            if (next.isEmpty() || next.get().isAfter(now)) {
                rearm();
                return;
            }
            lastDue = now;
        }
        onDue.run();
    }

    private void cancel() {
        timer.cancel();
        armedFor = null;
    }
}
