package io.wgmon.timing;

import io.smallrye.mutiny.subscription.Cancellable;

import java.time.Duration;
import java.time.Instant;

/**
 * {@link Timers} on the real clock whose every timer fires at once, on a thread of its own, before
 * {@link #schedule} returns: as Vert.x's may when the delay is short and the thread that armed it is
 * descheduled between the timer's start and its next instruction. {@link #schedule} returns once the timer's
 * thread has finished or is blocked (on the owner's lock, which the arming thread holds).
 */
public final class PreemptedTimers implements Timers {

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Thread timer = new Thread(task, "preempted-timer");
        timer.setDaemon(true);
        timer.start();
        long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (timer.isAlive() && timer.getState() != Thread.State.BLOCKED && System.nanoTime() < giveUp) {
            Thread.onSpinWait();
        }
        return () -> {
        };
    }
}
