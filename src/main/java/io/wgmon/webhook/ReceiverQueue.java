package io.wgmon.webhook;

import io.wgmon.timing.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.subscription.Cancellable;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerKey;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Deliveries to one receiver. Each peer has a lane (a FIFO); only the head of a lane is in flight or
 * waiting for a retry, so one peer's events arrive strictly in order while different peers proceed in
 * parallel. A delivery is retried until the receiver accepts or refuses it, or it is older than max-age.
 * <p>
 * After {@code circuit-threshold} failed attempts in a row the {@link Circuit} opens: lanes whose head
 * failed or comes up are parked, and one parked head at a time is sent as a probe, with growing delays;
 * the first answer closes the circuit and every parked lane goes on. Each receiver has its own queue and
 * circuit, so a dead receiver never holds up another.
 * <p>
 * Events are kept in a {@link DeliveryStore}: in memory (bounded by count, new events dropped when
 * full) or in a spool (bounded by size, oldest dropped). Every drop is counted and logged. With a spool
 * the events left by the previous run are queued first.
 */
final class ReceiverQueue {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** After the first failure of a delivery, only every n-th retry is logged at WARN. */
    private static final int WARN_EVERY = 10;

    private final WebhookReceiver receiver;
    private final String label;
    private final DeliveryRenderer renderer;
    private final DeliveryStore store;
    private final WebhookSender sender;
    private final Backoff backoff;
    private final Duration maxAge;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final MeterRegistry registry;
    private final ReceiverMetrics metrics;
    private final AtomicBoolean flushPending = new AtomicBoolean();

    private final Lanes lanes = new Lanes();
    /** Lanes whose head waits for the open circuit to close. */
    private final ArrayDeque<PeerKey> parked = new ArrayDeque<>();
    private final Circuit circuit;
    /** A probe is scheduled or in flight. */
    private boolean probing;
    private volatile boolean closed;

    ReceiverQueue(WebhookReceiver receiver, DeliveryStore store, DeliveryPolicy policy, WebhookSender sender,
                  ScheduledExecutorService scheduler, MeterRegistry registry) {
        this.receiver = receiver;
        this.label = receiver.label();
        this.renderer = new DeliveryRenderer(receiver.format(), receiver.signer());
        this.store = store;
        this.sender = sender;
        this.backoff = policy.backoff();
        this.maxAge = policy.maxAge();
        this.clock = policy.clock();
        this.circuit = new Circuit(policy.circuitThreshold());
        this.scheduler = scheduler;
        this.registry = registry;
        this.metrics = ReceiverMetrics.register(registry, receiver.tag(), this::pending, this::circuitOpen);
        resume();
    }

    void offer(PeerEvent event) {
        if (closed) {
            return;
        }
        Delivery delivery = renderer.render(event);
        QueuedDelivery idleHead = null;
        int evicted;
        synchronized (this) {
            if (closed) {
                return;
            }
            DeliveryStore.Admission admission = store.admit(delivery);
            if (!admission.isAdmitted()) {
                metrics.overflow().increment();
                LOG.warnf("webhook queue for %s: %s; dropped %s", label, admission.refusal(), delivery.describe());
                return;
            }
            evicted = lanes.evict(admission.evicted());
            QueuedDelivery queued = new QueuedDelivery(admission.seq(), delivery);
            if (lanes.add(queued)) {
                idleHead = queued;
            }
        }
        if (evicted > 0) {
            metrics.overflow().increment(evicted);
            LOG.warnf("webhook spool for %s reached wgmon.webhook.spool-max-size: dropped the %d oldest undelivered "
                    + "events", label, evicted);
        }
        if (idleHead != null) {
            start(idleHead);
        }
    }

    synchronized int pending() {
        return lanes.size();
    }

    synchronized boolean circuitOpen() {
        return circuit.isOpen();
    }

    String label() {
        return label;
    }

    /** Whether what is pending at {@link #close} stays in a spool for the next start. */
    boolean durable() {
        return store.durable();
    }

    /** Stops all sending, cancelling requests on the wire; returns how many events were still undelivered. */
    int close() {
        int left;
        synchronized (this) {
            closed = true;
            for (QueuedDelivery head : lanes.heads()) {
                Cancellable attempt = head.inFlight;
                if (attempt != null) {
                    attempt.cancel();
                }
            }
            left = lanes.size();
            lanes.clear();
            parked.clear();
        }
        store.close();
        metrics.unregisterGauges(registry);
        return left;
    }

    /** Queues what the spool kept from the previous run, in front of every new event. */
    private void resume() {
        List<DeliveryStore.Stored> stored = store.recover();
        if (stored.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<QueuedDelivery> heads = new ArrayList<>();
        int expired = 0;
        synchronized (this) {
            for (DeliveryStore.Stored entry : stored) {
                Delivery delivery = renderer.sign(entry.delivery());
                if (isExpired(delivery, now)) {
                    expired++;
                    store.done(entry.seq());
                } else {
                    QueuedDelivery queued = new QueuedDelivery(entry.seq(), delivery);
                    if (lanes.add(queued)) {
                        heads.add(queued);
                    }
                }
            }
        }
        if (expired > 0) {
            metrics.expired().increment(expired);
            LOG.warnf("webhook spool for %s: dropped %d events older than wgmon.webhook.max-age=%s", label, expired,
                    maxAge);
        }
        LOG.infof("webhook spool for %s: %d undelivered events from before the restart go first", label,
                stored.size() - expired);
        heads.forEach(this::start);
    }

    /** The delivery just became the head of its lane. */
    private void start(QueuedDelivery head) {
        if (park(head)) {
            ensureProbe(Optional.empty());
        } else {
            schedule(() -> attempt(head), Duration.ZERO);
        }
    }

    /** @return whether the circuit is open and the head's lane now waits for it */
    private synchronized boolean park(QueuedDelivery head) {
        if (!circuit.isOpen() || head.probe) {
            return false;
        }
        parked.addLast(head.delivery.peer());
        return true;
    }

    /** Runs on the webhook thread. */
    private void attempt(QueuedDelivery head) {
        if (closed) {
            return;
        }
        if (head.evicted) {
            droppedAtBound(head);
            finish(head);
            return;
        }
        if (isExpired(head.delivery, clock.instant())) {
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
        store.beforeSend(head.seq);
        try {
            head.inFlight = sender.send(receiver.address(), head.delivery.payload(), head.delivery.headers())
                    .subscribe().with(
                            reply -> onWebhookThread(() -> onReply(head, reply)),
                            failure -> onWebhookThread(() -> onFailure(head, describe(failure), Optional.empty())));
        } catch (RuntimeException e) {
            onFailure(head, describe(e), Optional.empty());
        }
    }

    private void onReply(QueuedDelivery head, ReceiverReply reply) {
        if (closed) {
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
                Optional<Duration> retryAfter = ReplyOutcome.mayCarryRetryAfter(reply.status())
                        ? RetryAfter.parse(reply.retryAfter(), Instant.now())
                        : Optional.empty();
                onFailure(head, "HTTP " + reply.status(), retryAfter);
            }
        }
    }

    /** The receiver answered: an open circuit closes and every parked lane goes on. */
    private void answered() {
        List<QueuedDelivery> resumed = new ArrayList<>();
        synchronized (this) {
            if (!circuit.answered()) {
                return;
            }
            for (PeerKey key : parked) {
                QueuedDelivery head = lanes.head(key);
                if (head != null) {
                    resumed.add(head);
                }
            }
            parked.clear();
        }
        LOG.infof("%s answers again: circuit closed, %d waiting peers go on", label, resumed.size());
        resumed.forEach(head -> schedule(() -> attempt(head), Duration.ZERO));
    }

    /** An evicted head leaves undelivered: now it is dropped, counted and logged. */
    private void droppedAtBound(QueuedDelivery head) {
        metrics.overflow().increment();
        LOG.warnf("webhook spool for %s reached wgmon.webhook.spool-max-size: dropped %s", label,
                head.delivery.describe());
    }

    private void onFailure(QueuedDelivery head, String cause, Optional<Duration> retryAfter) {
        if (closed) {
            return;
        }
        if (head.evicted) {
            droppedAtBound(head);
            finish(head);
            return;
        }
        head.failedAttempts++;
        metrics.retries().increment();
        boolean opened;
        boolean open;
        synchronized (this) {
            boolean wasProbe = head.probe;
            if (wasProbe) {
                head.probe = false;
                probing = false;
            }
            opened = circuit.failed(wasProbe);
            open = circuit.isOpen();
            if (open) {
                parked.addLast(head.delivery.peer());
            }
        }
        if (opened) {
            LOG.warnf("%s failed %d attempts in a row: circuit open, it gets one probe at a time until it answers",
                    label, circuit.threshold());
        }
        if (open) {
            logFailure(head, cause, "waiting for a probe to succeed");
            ensureProbe(retryAfter);
        } else {
            Duration delay = backoff.delay(head.failedAttempts, retryAfter);
            logFailure(head, cause, "retrying in " + delay.toMillis() + " ms");
            schedule(() -> attempt(head), delay);
        }
    }

    private void ensureProbe(Optional<Duration> retryAfter) {
        Duration delay;
        synchronized (this) {
            if (probing || parked.isEmpty() || !circuit.isOpen()) {
                return;
            }
            probing = true;
            delay = backoff.delay(circuit.nextProbe(), retryAfter);
        }
        schedule(this::probe, delay);
    }

    private void probe() {
        QueuedDelivery head = null;
        synchronized (this) {
            while (head == null) {
                PeerKey key = parked.pollFirst();
                if (key == null) {
                    probing = false;
                    return;
                }
                head = lanes.head(key);
            }
            head.probe = true;
        }
        LOG.debugf("probing %s with %s", label, head.delivery.describe());
        attempt(head);
    }

    private void finish(QueuedDelivery done) {
        QueuedDelivery next;
        synchronized (this) {
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
            next = lanes.removeHead(done);
        }
        if (!done.evicted) {
            requestFlush();
        }
        if (next != null) {
            start(next);
        }
        ensureProbe(Optional.empty());
    }

    /** Done marks are made durable in batches, on the webhook thread. */
    private void requestFlush() {
        if (store.durable() && flushPending.compareAndSet(false, true)) {
            onWebhookThread(() -> {
                flushPending.set(false);
                store.flush();
            });
        }
    }

    private boolean isExpired(Delivery delivery, Instant now) {
        return Duration.between(delivery.time(), now).compareTo(maxAge) > 0;
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

    /** Attempts always start on the webhook thread: no recursion through synchronous replies. */
    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                LOG.errorf("webhook scheduler for %s refused a task: %s", label, e);
            }
        }
    }

    /** Replies arrive on I/O threads; their handling (and its file writes) moves to the webhook thread. */
    private void onWebhookThread(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                LOG.errorf("webhook scheduler for %s refused a task: %s", label, e);
            }
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
