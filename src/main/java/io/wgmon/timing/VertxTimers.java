package io.wgmon.timing;

import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link Timers} on Quarkus's Vert.x instance: a timer is an entry in an event loop's timer wheel,
 * so wgmon needs no thread of its own to wait, and none wakes up while nothing is scheduled.
 */
public final class VertxTimers implements Timers {
    private final Vertx vertx;
    private final Clock clock;

    public VertxTimers(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        // Vert.x timers have millisecond resolution and need at least 1 ms
        long millis = Math.max(1, (delay.toNanos() + 999_999) / 1_000_000);
        long id = vertx.setTimer(millis, ignored -> task.run());
        return () -> vertx.cancelTimer(id);
    }
}
