package io.wgmon.delivery.queue;

import io.wgmon.delivery.WebhookDispatcher;
import io.wgmon.timing.Timers;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A delivery queue's one serial context: its tasks, its timers, and how it stops (docs/architecture.md#delivery). */
final class QueueContext {
    private static final Logger LOG = Logger.getLogger(QueueContext.class);

    private final Executor context;
    private final Timers timers;
    private final String label;
    private final BooleanSupplier closed;

    QueueContext(Executor context, Timers timers, String label, BooleanSupplier closed) {
        this.context = context;
        this.timers = timers;
        this.label = label;
        this.closed = closed;
    }

    /** Runs the task on the context; a task that throws is logged, never lost silently. */
    void run(Runnable task) {
        try {
            context.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "webhook queue for %s: a task failed", label);
                }
            });
        } catch (RuntimeException e) {
            if (!closed.getAsBoolean()) {
                LOG.errorf("webhook queue for %s: its context refused a task: %s", label, e);
            }
        }
    }

    /** Waits on the shared {@link Timers}, then hops onto the context. */
    void later(Duration delay, Runnable task) {
        timers.schedule(delay, () -> run(task));
    }

    /** Runs {@code stop} on the context and waits for it, at most 2 s. */
    void stop(Runnable stop) {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        try {
            context.execute(() -> {
                stop.run();
                stopped.complete(null);
            });
            stopped.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("webhook queue for %s: its context did not stop in time (%s)", label, e);
        }
    }
}
