package io.wgmon.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.wgmon.timing.Timers;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerKey;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deliveries to one receiver (docs/architecture.md#delivery). Each peer has a lane (a FIFO); only the head of a
 * lane is in flight or waiting for a retry, so one peer's events arrive strictly in order while different
 * peers proceed in parallel. A delivery is retried until the receiver accepts or refuses it, or it is
 * older than max-age.
 * <p>
 * Waits are decided by the {@link RetryPolicy}. After {@code circuit-threshold} failed attempts in a row
 * the {@link Circuit} opens: lanes whose head
 * failed or comes up are parked, and one parked head at a time is sent as a probe, with growing delays;
 * the first answer closes the circuit and every parked lane goes on. Each receiver has its own queue and
 * circuit, so a dead receiver never holds up another.
 * <p>
 * Threads: {@link #offer} renders and admits on the caller's thread (no I/O, no wait); everything else
 * runs on the queue's one {@code context}: replies of the sender, timers of {@link Timers} and commits of
 * the store all hop onto it, so lanes, parked lanes and the circuit need no locks. Only the counts read
 * by gauges and {@code closed} are shared.
 */
final class ReceiverQueue implements DeliveryQueue {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** After the first failure of a delivery, only every n-th retry is logged at WARN. */
    private static final int WARN_EVERY = 10;

    private final WebhookReceiver receiver;
    private final String label;
    private final DeliveryRenderer renderer;
    private final DeliveryStore store;
    private final WebhookSender sender;
    private final RetryPolicy retries;
    private final Duration maxAge;
    private final Timers timers;
    private final QueueContext thread;
    private final MeterRegistry registry;
    private final ReceiverMetrics metrics;

    // confined to the context
    private final Lanes lanes = new Lanes();
    /** Lanes whose head waits for the open circuit to close. */
    private final ArrayDeque<PeerKey> parked = new ArrayDeque<>();
    /** A probe is scheduled or in flight. */
    private boolean probing;

    // shared
    /** Admitted and not yet finished: queued, in flight or waiting for a retry. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean circuitOpen;
    private volatile boolean closed;
    /** The receiver answered 410 Gone: nothing more is sent to it. */
    private volatile boolean disabled;

    ReceiverQueue(WebhookReceiver receiver, DeliveryStore store, DeliveryPolicy policy, WebhookSender sender,
                  Executor context, MeterRegistry registry) {
        this.receiver = receiver;
        this.label = receiver.label();
        this.renderer = new DeliveryRenderer(receiver);
        this.store = store;
        this.sender = sender;
        this.retries = new RetryPolicy(policy);
        this.maxAge = policy.maxAge();
        this.timers = policy.timers();
        this.thread = new QueueContext(context, timers, label, () -> closed);
        this.registry = registry;
        this.metrics = ReceiverMetrics.register(registry, receiver.tag(), this::pending, this::circuitOpen, this::disabled);
        resume();
    }

    /** On the caller's (scan) thread: renders, admits in memory and hands the delivery to the context. */
    @Override
    public void offer(PeerEvent event) {
        if (closed) {
            return;
        }
        if (disabled) {
            metrics.failed().increment();
            return;
        }
        Admitted.admit(event, renderer, store, metrics, label).ifPresent(admitted -> {
            pending.incrementAndGet();
            QueuedDelivery queued = new QueuedDelivery(admitted.seq(), admitted.delivery());
            onContext(() -> admitted(queued, admitted.evicted()));
        });
    }

    @Override
    public int pending() {
        return pending.get();
    }

    boolean disabled() {
        return disabled;
    }

    boolean circuitOpen() {
        return circuitOpen;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public boolean durable() {
        return store.durable();
    }

    /** Stops all sending, cancelling requests on the wire; returns how many events were still undelivered. */
    @Override
    public int close() {
        closed = true;
        thread.stop(() -> {
            for (QueuedDelivery head : lanes.heads()) {
                if (head.inFlight != null) {
                    head.inFlight.cancel();
                }
            }
            lanes.clear();
            parked.clear();
        });
        int left = pending.getAndSet(0);
        store.close();
        metrics.unregisterGauges(registry);
        return left;
    }

    /** Queues what the store kept from the previous run, in front of every new event. */
    private void resume() {
        List<QueuedDelivery> kept = Backlog.recover(store, timers.now(), maxAge, metrics, label, renderer::sign)
                .stream().map(row -> new QueuedDelivery(row.seq(), row.delivery())).toList();
        if (kept.isEmpty()) {
            return;
        }
        pending.addAndGet(kept.size());
        onContext(() -> kept.forEach(queued -> admitted(queued, List.of())));
    }

    private void admitted(QueuedDelivery queued, List<Long> evicted) {
        if (closed) {
            return;
        }
        int dropped = lanes.evict(evicted);
        if (dropped > 0) {
            pending.addAndGet(-dropped);
            metrics.overflow().increment(dropped);
            LOG.warnf("webhook spool for %s reached wgmon.webhook.spool-max-size: dropped the %d oldest undelivered "
                    + "events", label, dropped);
        }
        if (lanes.add(queued)) {
            start(queued);
        }
    }

    /** The delivery just became the head of its lane. */
    private void start(QueuedDelivery head) {
        if (park(head)) {
            ensureProbe(Optional.empty());
        } else {
            onContext(() -> attempt(head)); // a new task: no recursion through synchronous replies
        }
    }

    /** @return whether the circuit is open and the head's lane now waits for it */
    private boolean park(QueuedDelivery head) {
        if (!retries.circuitOpen() || head.probe) {
            return false;
        }
        parked.addLast(head.delivery.peer());
        return true;
    }

    private void attempt(QueuedDelivery head) {
        if (gone(head)) {
            return;
        }
        if (disabled) {
            finish(head);
            return;
        }
        if (isExpired(head.delivery, timers.now())) {
            metrics.expired().increment();
            LOG.warnf("webhook for %s: dropped %s, not delivered within wgmon.webhook.max-age=%s", label,
                    head.delivery.describe(), maxAge);
            finish(head);
            return;
        }
        if (park(head)) {
            ensureProbe(Optional.empty());
            return;
        }
        store.whenStored(head.seq, () -> onContext(() -> send(head)));
    }

    /** The head's row is committed (or the store is memory): it goes on the wire. */
    private void send(QueuedDelivery head) {
        if (gone(head)) {
            return;
        }
        try {
            head.inFlight = sender.send(receiver.address(), head.delivery.payload(),
                            renderer.headers(head.delivery, timers.now()))
                    .subscribe().with(
                            reply -> onContext(() -> onReply(head, reply)),
                            failure -> onContext(() -> onFailure(head, describe(failure), Optional.empty())));
        } catch (RuntimeException e) {
            onFailure(head, describe(e), Optional.empty());
        }
    }

    private void onReply(QueuedDelivery head, ReceiverReply reply) {
        if (closed) {
            return;
        }
        head.inFlight = null;
        if (disabled) {
            finish(head);
            return;
        }
        if (reply.status() == Gone.STATUS) {
            disabled = true;
            Gone.log(label, pending.get());
            metrics.failed().increment(pending.get());
            answered();
            finish(head);
            return;
        }
        switch (ReplyOutcome.of(reply.status())) {
            case DELIVERED -> {
                metrics.delivered().increment(); // an evicted head already on the wire still counts as delivered
                LOG.debugf("delivered %s to %s (HTTP %d, attempt %d)", head.delivery.describe(), label, reply.status(),
                        head.failedAttempts + 1);
                answered();
                finish(head);
            }
            case REJECTED -> {
                metrics.failed().increment();
                LOG.warnf("%s refused %s with HTTP %d; dropped (not retried)", label, head.delivery.describe(),
                        reply.status());
                answered();
                finish(head);
            }
            case RETRY -> {
                onFailure(head, "HTTP " + reply.status(), retries.retryAfter(reply));
            }
        }
    }

    /** The receiver answered: an open circuit closes and every parked lane goes on. */
    private void answered() {
        boolean wasOpen = retries.answered();
        circuitOpen = false;
        if (!wasOpen) {
            return;
        }
        List<QueuedDelivery> resumed = new ArrayList<>();
        for (PeerKey key : parked) {
            QueuedDelivery head = lanes.head(key);
            if (head != null) {
                resumed.add(head);
            }
        }
        parked.clear();
        LOG.infof("%s answers again: circuit closed, %d waiting peers go on", label, resumed.size());
        resumed.forEach(head -> onContext(() -> attempt(head)));
    }

    /**
     * @return whether the head needs nothing more: the queue is closed, or the head was evicted from the
     *         store while waiting (it leaves now, counted as dropped)
     */
    private boolean gone(QueuedDelivery head) {
        if (closed) {
            return true;
        }
        if (head.evicted) {
            droppedAtBound(head);
            finish(head);
            return true;
        }
        return false;
    }

    /** An evicted head leaves undelivered: now it is dropped, counted and logged. */
    private void droppedAtBound(QueuedDelivery head) {
        metrics.overflow().increment();
        LOG.warnf("webhook spool for %s reached wgmon.webhook.spool-max-size: dropped %s", label,
                head.delivery.describe());
    }

    private void onFailure(QueuedDelivery head, String cause, Optional<Duration> retryAfter) {
        head.inFlight = null;
        if (gone(head)) {
            return;
        }
        head.failedAttempts++;
        metrics.retries().increment();
        boolean wasProbe = head.probe;
        if (wasProbe) {
            head.probe = false;
            probing = false;
        }
        boolean opened = retries.failed(wasProbe);
        circuitOpen = retries.circuitOpen();
        if (opened) {
            LOG.warnf("%s failed %d attempts in a row: circuit open, it gets one probe at a time until it answers",
                    label, retries.threshold());
        }
        if (circuitOpen) {
            parked.addLast(head.delivery.peer());
            logFailure(head, cause, "waiting for a probe to succeed");
            ensureProbe(retryAfter);
        } else {
            Duration delay = retries.retryDelay(head.failedAttempts, retryAfter);
            logFailure(head, cause, "retrying in " + delay.toMillis() + " ms");
            later(delay, () -> attempt(head));
        }
    }

    private void ensureProbe(Optional<Duration> retryAfter) {
        if (probing || parked.isEmpty() || !retries.circuitOpen()) {
            return;
        }
        probing = true;
        later(retries.probeDelay(retryAfter), this::probe);
    }

    private void probe() {
        QueuedDelivery head = null;
        while (head == null) {
            PeerKey key = parked.pollFirst();
            if (key == null) {
                probing = false;
                return;
            }
            head = lanes.head(key);
        }
        head.probe = true;
        LOG.debugf("probing %s with %s", label, head.delivery.describe());
        attempt(head);
    }

    private void finish(QueuedDelivery done) {
        if (closed) {
            return;
        }
        if (done.probe) {
            done.probe = false;
            probing = false;
        }
        if (!done.evicted) {
            store.done(done.seq); // before pending drops: whoever sees it drained sees it marked
        }
        QueuedDelivery next = lanes.removeHead(done);
        pending.decrementAndGet();
        if (next != null) {
            start(next);
        }
        ensureProbe(Optional.empty());
    }

    private boolean isExpired(Delivery delivery, Instant now) {
        return Backlog.isExpired(delivery, now, maxAge);
    }

    private void logFailure(QueuedDelivery head, String cause, String next) {
        int attempt = head.failedAttempts;
        if (attempt == 1 || attempt % WARN_EVERY == 0) {
            LOG.warnf("delivering %s to %s failed (attempt %d: %s); %s", head.delivery.describe(), label, attempt,
                    cause, next);
        } else {
            LOG.debugf("delivering %s to %s failed (attempt %d: %s); %s", head.delivery.describe(), label, attempt,
                    cause, next);
        }
    }

    private void later(Duration delay, Runnable task) {
        thread.later(delay, task);
    }

    private void onContext(Runnable task) {
        thread.run(task);
    }

    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure ? text : text + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
