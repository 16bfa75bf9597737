package io.wgmon.timing;

import io.smallrye.mutiny.subscription.Cancellable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * {@link Timers} in logical time: nothing fires until a test calls {@link #advance}, which moves the
 * clock and runs every due task in time order on the calling thread. Tasks scheduled by tasks run in
 * the same advance when they fall due within it. Thread-safe, so code under test may schedule from
 * its own threads.
 */
public final class ManualTimers implements Timers {
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(
            Comparator.comparingLong(Entry::dueNanos).thenComparingLong(Entry::order));
    private long nanos;
    private long order;
    private final Instant epoch;

    public ManualTimers() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public ManualTimers(Instant start) {
        this.epoch = start;
    }

    private record Entry(long dueNanos, long order, Runnable task, boolean[] cancelled) {
    }

    @Override
    public synchronized Instant now() {
        return epoch.plusNanos(nanos);
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Entry(nanos + Math.max(0, delay.toNanos()), order++, task, cancelled));
        return () -> {
            synchronized (ManualTimers.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Moves time forward by {@code step}, running each task as its moment comes. */
    public void advance(Duration step) {
        long target;
        synchronized (this) {
            target = nanos + step.toNanos();
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.dueNanos() > target) {
                    nanos = target;
                    return;
                }
                queue.poll();
                nanos = Math.max(nanos, next.dueNanos());
                if (next.cancelled()[0]) {
                    continue;
                }
            }
            next.task().run();
        }
    }

    /** Runs what is due now without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Delays of the tasks still waiting, from now, in firing order. */
    public synchronized List<Duration> pending() {
        List<Duration> delays = new ArrayList<>();
        queue.stream().filter(e -> !e.cancelled()[0]).sorted(queue.comparator())
                .forEach(e -> delays.add(Duration.ofNanos(e.dueNanos() - nanos)));
        return delays;
    }
}
