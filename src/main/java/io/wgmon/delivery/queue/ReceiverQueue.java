package io.wgmon.delivery.queue;

import io.micrometer.core.instrument.MeterRegistry;

import io.wgmon.delivery.WebhookReceiver;
import io.wgmon.delivery.http.ReceiverReply;
import io.wgmon.delivery.http.WebhookSender;
import io.wgmon.store.StoreTransaction;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerKey;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Deliveries to one receiver (docs/architecture.md#delivery). Each peer has a lane (a FIFO); only the head of a
 * lane is in flight or waiting for a retry, so one peer's events arrive strictly in order while different
 * peers proceed in parallel. A delivery is retried until the receiver accepts or refuses it, or it is
 * older than max-age. Waits are decided by the {@link RetryPolicy}. After {@code circuit-threshold} failed
 * attempts in a row the {@link Circuit} opens: lanes whose head failed or comes up are parked, and one
 * parked head at a time is sent as a probe, with growing delays; the first answer closes the circuit and
 * every parked lane goes on. Each receiver has its own queue and circuit.
 * <p>
 * Threads: {@link #offer} renders and admits on the caller's thread (no I/O, no wait); everything else
 * runs on the queue's one context ({@link QueueCore}): replies of the sender, timers and commits of the
 * store all hop onto it, so lanes, parked lanes and the circuit need no locks. Only the counts read by
 * gauges and the closed and circuit flags are shared.
 */
public final class ReceiverQueue implements DeliveryQueue {
    private static final Logger LOG = Logger.getLogger(ReceiverQueue.class);

    private final QueueCore core;

    // confined to the context
    private final Lanes lanes = new Lanes();
    /** Lanes whose head waits for the open circuit to close. */
    private final ArrayDeque<PeerKey> parked = new ArrayDeque<>();
    /** A probe is scheduled or in flight. */
    private boolean probing;

    // shared
    private volatile boolean circuitOpen;

    public ReceiverQueue(WebhookReceiver receiver, DeliveryStore store, DeliveryPolicy policy, WebhookSender sender,
                  Executor context, MeterRegistry registry) {
        this.core = new QueueCore(receiver, store, policy, sender, context, registry, () -> circuitOpen);
        resume();
    }

    /** On the caller's (scan) thread: renders, admits in memory and hands the delivery to the context. */
    @Override
    public void offer(PeerEvent event, StoreTransaction transaction) {
        core.offer(event, transaction, admitted -> admitted(new QueuedDelivery(admitted.seq(), admitted.delivery()),
                admitted.evicted()));
    }

    @Override
    public int pending() {
        return core.pending();
    }

    @Override
    public String label() {
        return core.label;
    }

    @Override
    public boolean durable() {
        return core.store.durable();
    }

    /** Stops all sending, cancelling requests on the wire; returns how many events were still undelivered. */
    @Override
    public int close() {
        return core.close(() -> {
            for (QueuedDelivery head : lanes.heads()) {
                if (head.inFlight != null) {
                    head.inFlight.cancel();
                    core.attemptEnded(List.of(head.seq)); // stopped by wgmon, not ended with it
                }
            }
            lanes.clear();
            parked.clear();
        });
    }

    /** Queues what the store kept from the previous run, in front of every new event. */
    private void resume() {
        List<QueuedDelivery> kept = core.backlog(core.renderer::sign).stream()
                .map(row -> new QueuedDelivery(row.seq(), row.delivery())).toList();
        if (!kept.isEmpty()) {
            core.run(() -> kept.forEach(queued -> admitted(queued, List.of())));
        }
    }

    private void admitted(QueuedDelivery queued, List<Long> evicted) {
        if (core.closed()) {
            return;
        }
        core.evicted(lanes.evict(evicted));
        if (lanes.add(queued)) {
            start(queued);
        }
    }

    /** The delivery just became the head of its lane. */
    private void start(QueuedDelivery head) {
        if (park(head)) {
            ensureProbe(Optional.empty());
        } else {
            core.run(() -> attempt(head)); // a new task: no recursion through synchronous replies
        }
    }

    /** @return whether the circuit is open and the head's lane now waits for it */
    private boolean park(QueuedDelivery head) {
        if (!core.retries.circuitOpen() || head.probe) {
            return false;
        }
        parked.addLast(head.delivery.peer());
        return true;
    }

    private void attempt(QueuedDelivery head) {
        if (gone(head)) {
            return;
        }
        if (core.disabled()) {
            finish(head);
            return;
        }
        if (core.isExpired(head.delivery)) {
            core.expired(1, head.delivery.describe());
            finish(head);
            return;
        }
        if (park(head)) {
            ensureProbe(Optional.empty());
            return;
        }
        core.store.whenStored(head.seq, () -> core.run(() -> send(head)));
    }

    /** The head's row is committed (or the store is memory): its attempt is counted, then it goes on the wire. */
    private void send(QueuedDelivery head) {
        if (gone(head)) {
            return;
        }
        core.attempt(List.of(head.seq), List.of(head.delivery), head.delivery.payload(),
                core.renderer.headers(head.delivery, core.timers.now()),
                inFlight -> head.inFlight = inFlight,
                reply -> onReply(head, reply),
                (cause, retryAfter) -> onFailure(head, cause, retryAfter),
                () -> attempt(head));
    }

    private void onReply(QueuedDelivery head, ReceiverReply reply) {
        if (core.closed()) {
            return;
        }
        head.inFlight = null;
        if (core.disabled()) {
            finish(head);
            return;
        }
        switch (core.answer(reply)) {
            case GONE -> {
                core.gone();
                answered();
                finish(head);
            }
            case DELIVERED -> {
                int attempt = head.failedAttempts + 1;
                core.delivered(1, () -> head.delivery.describe() + " (attempt " + attempt + ")", reply.status());
                answered();
                finish(head);
            }
            case REJECTED -> {
                core.refused(1, head.delivery.describe(), reply.status());
                answered();
                finish(head);
            }
            case RETRY -> onFailure(head, "HTTP " + reply.status(), core.retries.retryAfter(reply));
        }
    }

    /** The receiver answered: an open circuit closes and every parked lane goes on. */
    private void answered() {
        boolean wasOpen = core.retries.answered();
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
        LOG.infof("%s answers again: circuit closed, %d waiting peers go on", core.label, resumed.size());
        resumed.forEach(head -> core.run(() -> attempt(head)));
    }

    /**
     * @return whether the head needs nothing more: the queue is closed, or the head was evicted from the
     *         store while waiting (it leaves now, counted as dropped)
     */
    private boolean gone(QueuedDelivery head) {
        if (core.closed()) {
            return true;
        }
        if (head.evicted) {
            core.evictedHead(head.delivery.describe());
            finish(head);
            return true;
        }
        return false;
    }

    private void onFailure(QueuedDelivery head, String cause, Optional<Duration> retryAfter) {
        head.inFlight = null;
        if (gone(head)) {
            return;
        }
        head.failedAttempts++;
        core.metrics.retries().increment();
        boolean wasProbe = head.probe;
        if (wasProbe) {
            head.probe = false;
            probing = false;
        }
        boolean opened = core.retries.failed(wasProbe);
        circuitOpen = core.retries.circuitOpen();
        if (opened) {
            LOG.warnf("%s failed %d attempts in a row: circuit open, it gets one probe at a time until it answers",
                    core.label, core.retries.threshold());
        }
        if (circuitOpen) {
            parked.addLast(head.delivery.peer());
            core.logFailure(head.delivery.describe(), head.failedAttempts, cause, "waiting for a probe to succeed");
            ensureProbe(retryAfter);
        } else {
            Duration delay = core.retries.retryDelay(head.failedAttempts, retryAfter);
            core.logFailure(head.delivery.describe(), head.failedAttempts, cause,
                    "retrying in " + delay.toMillis() + " ms");
            core.later(delay, () -> attempt(head));
        }
    }

    private void ensureProbe(Optional<Duration> retryAfter) {
        if (probing || parked.isEmpty() || !core.retries.circuitOpen()) {
            return;
        }
        probing = true;
        core.later(core.retries.probeDelay(retryAfter), this::probe);
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
        LOG.debugf("probing %s with %s", core.label, head.delivery.describe());
        attempt(head);
    }

    private void finish(QueuedDelivery done) {
        if (core.closed()) {
            return;
        }
        if (done.probe) {
            done.probe = false;
            probing = false;
        }
        if (done.evicted) {
            core.finishedWithoutRow();
        } else {
            core.finished(List.of(done.seq)); // marked before pending drops: whoever sees it drained sees it marked
        }
        QueuedDelivery next = lanes.removeHead(done);
        if (next != null) {
            start(next);
        }
        ensureProbe(Optional.empty());
    }
}
