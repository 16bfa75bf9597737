package io.wgmon.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.wgmon.tracking.PeerKey;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deliveries to one receiver. Each peer has a lane (a FIFO); only the head of a lane is in flight or
 * waiting for a retry, so one peer's events arrive strictly in order while different peers proceed in
 * parallel. A delivery is retried until the receiver accepts or refuses it; the capacity bound, counted
 * over all lanes, is the only place events are dropped unseen.
 */
final class ReceiverQueue {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** After the first failure of a delivery, only every n-th retry is logged at WARN. */
    private static final int WARN_EVERY = 10;

    private final URI receiver;
    private final String label;
    private final int capacity;
    private final WebhookSender sender;
    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;
    private final MeterRegistry registry;
    private final ReceiverMetrics metrics;

    private final Map<PeerKey, ArrayDeque<Delivery>> lanes = new HashMap<>();
    private int pending;
    private volatile boolean closed;

    /** @param tag unique among the dispatcher's receivers, see {@link Receivers#tags} */
    ReceiverQueue(URI receiver, String tag, int capacity, WebhookSender sender, Backoff backoff,
                  ScheduledExecutorService scheduler, MeterRegistry registry) {
        this.receiver = receiver;
        this.label = receiver.getScheme() + "://" + tag;
        this.capacity = capacity;
        this.sender = sender;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.registry = registry;
        this.metrics = ReceiverMetrics.register(registry, tag, this::pending);
    }

    void offer(Delivery delivery) {
        boolean laneWasIdle;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (pending >= capacity) {
                metrics.overflow().increment();
                LOG.warnf("webhook queue for %s is full (%d events): dropped %s", label, capacity, delivery.describe());
                return;
            }
            pending++;
            ArrayDeque<Delivery> lane = lanes.computeIfAbsent(delivery.event().key(), key -> new ArrayDeque<>());
            lane.addLast(delivery);
            laneWasIdle = lane.size() == 1;
        }
        if (laneWasIdle) {
            schedule(delivery, 1, Duration.ZERO);
        }
    }

    synchronized int pending() {
        return pending;
    }

    /** Stops all sending; returns how many events were still undelivered. */
    int close() {
        int lost;
        synchronized (this) {
            closed = true;
            lost = pending;
            lanes.clear();
            pending = 0;
        }
        metrics.unregisterGauge(registry);
        return lost;
    }

    /** Attempts always start on the scheduler thread: no recursion through synchronous replies. */
    private void schedule(Delivery delivery, int attempt, Duration delay) {
        try {
            scheduler.schedule(() -> attempt(delivery, attempt), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                LOG.errorf("webhook scheduler for %s refused %s: %s", label, delivery.describe(), e);
            }
        }
    }

    private void attempt(Delivery delivery, int attempt) {
        if (closed) {
            return;
        }
        try {
            sender.send(receiver, delivery.payload(), delivery.headers())
                    .subscribe().with(
                            reply -> onReply(delivery, attempt, reply),
                            failure -> retry(delivery, attempt, describe(failure), Optional.empty()));
        } catch (RuntimeException e) {
            retry(delivery, attempt, describe(e), Optional.empty());
        }
    }

    private void onReply(Delivery delivery, int attempt, ReceiverReply reply) {
        switch (ReplyOutcome.of(reply.status())) {
            case DELIVERED -> {
                metrics.delivered().increment();
                LOG.debugf("delivered %s to %s (HTTP %d, attempt %d)", delivery.describe(), label, reply.status(), attempt);
                finish(delivery);
            }
            case REJECTED -> {
                metrics.failed().increment();
                LOG.warnf("%s refused %s with HTTP %d; dropped (not retried)", label, delivery.describe(), reply.status());
                finish(delivery);
            }
            case RETRY -> {
                Optional<Duration> retryAfter = ReplyOutcome.mayCarryRetryAfter(reply.status())
                        ? RetryAfter.parse(reply.retryAfter(), Instant.now())
                        : Optional.empty();
                retry(delivery, attempt, "HTTP " + reply.status(), retryAfter);
            }
        }
    }

    private void retry(Delivery delivery, int attempt, String cause, Optional<Duration> retryAfter) {
        if (closed) {
            return;
        }
        metrics.retries().increment();
        Duration delay = backoff.delay(attempt, retryAfter);
        if (attempt == 1 || attempt % WARN_EVERY == 0) {
            LOG.warnf("delivering %s to %s failed (attempt %d: %s); retrying in %d ms",
                    delivery.describe(), label, attempt, cause, delay.toMillis());
        } else {
            LOG.debugf("delivering %s to %s failed (attempt %d: %s); retrying in %d ms",
                    delivery.describe(), label, attempt, cause, delay.toMillis());
        }
        schedule(delivery, attempt + 1, delay);
    }

    private void finish(Delivery delivery) {
        Delivery next;
        synchronized (this) {
            if (closed) {
                return;
            }
            PeerKey key = delivery.event().key();
            ArrayDeque<Delivery> lane = lanes.get(key);
            lane.removeFirst();
            pending--;
            next = lane.peekFirst();
            if (next == null) {
                lanes.remove(key);
            }
        }
        if (next != null) {
            schedule(next, 1, Duration.ZERO);
        }
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure ? text : text + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
