package io.wgmon.timing;

import io.smallrye.mutiny.subscription.Cancellable;

import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * At most one pending one-shot timer of an owner, guarded by the owner's lock (docs/architecture.md#threads): arming
 * replaces the pending timer, and a timer that fires after it was replaced or cancelled does nothing. Each timer is
 * told apart by a ticket it holds from before it is scheduled. A timer that knew itself only by the
 * {@link Cancellable} that {@link Timers#schedule} returns could fire before the owner had stored it (a short delay,
 * the arming thread preempted), look stale, and be lost: with it the scan it stood for.
 */
public final class TimerSlot {
    private final Timers timers;
    private Cancellable pending;
    /** The pending timer's ticket; 0 when none is pending. */
    private long pendingTicket;
    private long lastTicket;

    public TimerSlot(Timers timers) {
        this.timers = timers;
    }

    /**
     * Replaces the pending timer, if any, with one that calls {@code fired} with its ticket after {@code delay}, on the
     * timer's thread and without the owner's lock; {@code fired} takes the lock and asks {@link #take} first.
     */
    public void arm(Duration delay, LongConsumer fired) {
        cancel();
        long ticket = ++lastTicket;
        pendingTicket = ticket;
        pending = timers.schedule(delay, () -> fired.accept(ticket));
    }

    /** Whether the timer with this ticket is the pending one; if it is, none is pending afterwards. */
    public boolean take(long ticket) {
        if (ticket != pendingTicket) {
            return false;
        }
        pendingTicket = 0;
        pending = null;
        return true;
    }

    public boolean armed() {
        return pendingTicket != 0;
    }

    /** Cancels the pending timer; one already firing finds itself stale. */
    public void cancel() {
        if (pending != null) {
            pending.cancel();
        }
        pending = null;
        pendingTicket = 0;
    }
}
