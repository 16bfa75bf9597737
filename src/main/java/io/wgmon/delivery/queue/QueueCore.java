package io.wgmon.delivery.queue;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.subscription.Cancellable;

import io.wgmon.delivery.WebhookReceiver;
import io.wgmon.delivery.chat.ChatQueue;
import io.wgmon.delivery.format.Delivery;
import io.wgmon.delivery.format.DeliveryRenderer;
import io.wgmon.delivery.format.Payload;
import io.wgmon.delivery.http.DeliveryHeaders;
import io.wgmon.delivery.http.ReceiverAddress;
import io.wgmon.delivery.http.ReceiverFailure;
import io.wgmon.delivery.http.ReceiverReply;
import io.wgmon.delivery.http.WebhookSender;
import io.wgmon.store.StoreTransaction;
import io.wgmon.timing.Timers;
import io.wgmon.tracking.PeerEvent;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What every delivery queue does the same way (docs/architecture.md#delivery), written once for
 * {@link ReceiverQueue} (lanes per peer, a circuit) and {@link ChatQueue} (one message at a time):
 * admission on the caller's thread, the start-up backlog, eviction and expiry reports, 410 Gone, counted
 * attempts with scrubbed failures, reply classification, "warn every 10th" failure logging, and closing.
 * Everything but {@link #offer} and the shared counts runs on the queue's one context.
 */
public final class QueueCore {
    private static final Logger LOG = Logger.getLogger(QueueCore.class);
    /** After the first failure of a delivery, only every n-th retry is logged at WARN. */
    private static final int WARN_EVERY = 10;

    /** What a reply means for the queue. */
    public enum Answer { DELIVERED, REJECTED, RETRY, GONE }

    public final String label;
    public final DeliveryRenderer renderer;
    public final DeliveryStore store;
    public final RetryPolicy retries;
    final Duration maxAge;
    public final Timers timers;
    public final ReceiverMetrics metrics;
    private final ReceiverAddress address;
    private final WebhookSender sender;
    private final QueueContext thread;
    private final MeterRegistry registry;

    // shared
    /** Admitted and not yet finished: queued, in flight or waiting for a retry. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;
    /** The receiver answered 410 Gone: nothing more is sent to it. */
    private volatile boolean disabled;

    public QueueCore(WebhookReceiver receiver, DeliveryStore store, DeliveryPolicy policy, WebhookSender sender,
              Executor context, MeterRegistry registry, BooleanSupplier circuitOpen) {
        this.label = receiver.label();
        this.address = receiver.address();
        this.renderer = receiver.renderer();
        this.store = store;
        this.sender = sender;
        this.retries = new RetryPolicy(policy);
        this.maxAge = policy.maxAge();
        this.timers = policy.timers();
        this.thread = new QueueContext(context, timers, label, () -> closed);
        this.registry = registry;
        this.metrics = ReceiverMetrics.register(registry, receiver.tag(), pending::get, circuitOpen, () -> disabled);
    }

    /** On the caller's (scan) thread: renders, admits in memory and hands the admitted delivery to the context. */
    public void offer(PeerEvent event, StoreTransaction transaction, Consumer<Admitted> onContext) {
        if (closed) {
            return;
        }
        if (disabled) {
            metrics.failed().increment();
            return;
        }
        Admitted.admit(event, renderer, store, metrics, label, transaction).ifPresent(admitted -> {
            pending.incrementAndGet();
            run(() -> onContext.accept(admitted));
        });
    }

    /** What the store kept from the previous run, counted as pending; the caller queues it in front. */
    public List<DeliveryStore.Stored> backlog(UnaryOperator<Delivery> prepare) {
        List<DeliveryStore.Stored> kept = Backlog.recover(store, timers.now(), maxAge, metrics, label, prepare);
        pending.addAndGet(kept.size());
        return kept;
    }

    /** Stops all sending: {@code stop} runs on the context (cancel what is in flight); returns what was undelivered. */
    public int close(Runnable stop) {
        closed = true;
        thread.stop(stop);
        int left = pending.getAndSet(0);
        store.close();
        metrics.unregisterGauges(registry);
        return left;
    }

    /**
     * Counts the attempt in the store, then sends once the count is committed; the reply or the failure (its
     * description scrubbed of the receiver's secrets) comes back on the context, the attempt counted back
     * first when it did not finish its deliveries (a failure, a status to retry). {@code sent} receives the
     * attempt on the wire, to be cancelled on close; nothing is sent when the queue closed meanwhile. The
     * expiry of {@code deliveries} is checked again here, right before the send: time passes while the
     * commits are awaited, and an event older than max-age never goes on the wire; {@code expiredMeanwhile}
     * then runs instead (the caller's attempt again, which drops what expired).
     */
    public void attempt(List<Long> seqs, List<Delivery> deliveries, Payload payload, DeliveryHeaders headers,
                 Consumer<Cancellable> sent, Consumer<ReceiverReply> onReply,
                 BiConsumer<String, Optional<Duration>> onFailure, Runnable expiredMeanwhile) {
        store.attemptStarting(seqs, () -> run(() -> {
            if (closed) {
                store.attemptEnded(seqs);
                return;
            }
            if (deliveries.stream().anyMatch(this::isExpired)) {
                store.attemptEnded(seqs);
                expiredMeanwhile.run();
                return;
            }
            BiConsumer<String, Optional<Duration>> failed = (cause, retryAfter) -> {
                store.attemptEnded(seqs);
                onFailure.accept(cause, retryAfter);
            };
            try {
                sent.accept(sender.send(address, payload, headers).subscribe().with(
                        reply -> run(() -> {
                            if (answer(reply) == Answer.RETRY) {
                                store.attemptEnded(seqs);
                            }
                            onReply.accept(reply);
                        }),
                        failure -> run(() -> failed.accept(describe(failure), Optional.empty()))));
            } catch (RuntimeException e) {
                failed.accept(describe(e), Optional.empty());
            }
        }));
    }

    /** The attempt ended without finishing its deliveries (it failed, or wgmon stopped it): counted back. */
    public void attemptEnded(List<Long> seqs) {
        store.attemptEnded(seqs);
    }

    public Answer answer(ReceiverReply reply) {
        if (reply.status() == Gone.STATUS) {
            return Answer.GONE;
        }
        return switch (ReplyOutcome.of(reply.status())) {
            case DELIVERED -> Answer.DELIVERED;
            case REJECTED -> Answer.REJECTED;
            case RETRY -> Answer.RETRY;
        };
    }

    /** 410 Gone: the receiver is disabled, everything pending counted as failed. */
    public void gone() {
        disabled = true;
        int dropped = pending.get();
        Gone.log(label, dropped);
        metrics.failed().increment(dropped);
    }

    /** @param what described only when the line is logged (at DEBUG), not for every delivery */
    public void delivered(int events, Supplier<String> what, int status) {
        metrics.delivered().increment(events); // an evicted head already on the wire still counts as delivered
        if (LOG.isDebugEnabled()) {
            LOG.debugf("delivered %s to %s (HTTP %d)", what.get(), label, status);
        }
    }

    public void refused(int events, String what, int status) {
        metrics.failed().increment(events);
        LOG.warnf("%s refused %s with HTTP %d; dropped (not retried)", label, what, status);
    }

    /** Deliveries evicted from the store to make room: gone from the queue, counted and logged. */
    public void evicted(int dropped) {
        if (dropped > 0) {
            pending.addAndGet(-dropped);
            metrics.overflow().increment(dropped);
            LOG.warnf("webhook spool for %s reached wgmon.webhook.spool-max-size: dropped the %d oldest undelivered "
                    + "events", label, dropped);
        }
    }

    /** A head evicted while its attempt was waiting or on the wire leaves now, dropped. */
    void evictedHead(String what) {
        metrics.overflow().increment();
        LOG.warnf("webhook spool for %s reached wgmon.webhook.spool-max-size: dropped %s", label, what);
    }

    public boolean isExpired(Delivery delivery) {
        return Backlog.isExpired(delivery, timers.now(), maxAge);
    }

    public void expired(int events, String what) {
        metrics.expired().increment(events);
        LOG.warnf("webhook for %s: dropped %s, not delivered within wgmon.webhook.max-age=%s", label, what, maxAge);
    }

    /** The deliveries are finished (delivered, refused, dropped): marked done before pending drops. */
    public void finished(List<Long> seqs) {
        seqs.forEach(store::done);
        pending.addAndGet(-seqs.size());
    }

    /** Evicted deliveries have no row left to mark. */
    void finishedWithoutRow() {
        pending.decrementAndGet();
    }

    public void logFailure(String what, int attempt, String cause, String next) {
        if (attempt == 1 || attempt % WARN_EVERY == 0) {
            LOG.warnf("delivering %s to %s failed (attempt %d: %s); %s", what, label, attempt, cause, next);
        } else {
            LOG.debugf("delivering %s to %s failed (attempt %d: %s); %s", what, label, attempt, cause, next);
        }
    }

    public void later(Duration delay, Runnable task) {
        thread.later(delay, task);
    }

    public void run(Runnable task) {
        thread.run(task);
    }

    public int pending() {
        return pending.get();
    }

    public boolean closed() {
        return closed;
    }

    public boolean disabled() {
        return disabled;
    }

    private String describe(Throwable failure) {
        return ReceiverFailure.of(failure, address.url()).getMessage();
    }
}
