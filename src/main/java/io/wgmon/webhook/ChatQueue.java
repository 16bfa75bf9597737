package io.wgmon.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.subscription.Cancellable;
import io.wgmon.timing.Timers;
import io.wgmon.tracking.PeerEvent;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deliveries to one chat preset's receiver (docs/architecture.md#delivery): one message at a time, never two
 * within the preset's interval, and everything that is pending when a message goes out goes out in it:
 * one event's line, or one summary of a burst. The store keeps the events (their {@link JsonPayloadFormat}
 * bodies), not messages; a message is rendered when it is sent, so a burst read back after a restart is
 * still one summary. A failed message is retried with the same events (and the same Matrix transaction id)
 * with backoff and Retry-After; a refused one (4xx) is dropped; 410 Gone disables the receiver.
 * <p>
 * Threads as in {@link ReceiverQueue}: {@link #offer} admits on the caller's thread, all else runs on the
 * queue's one {@code context}.
 */
final class ChatQueue implements DeliveryQueue {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** How long the first event of a burst waits for the rest: a scan reports a burst within milliseconds. */
    static final Duration GATHER = Duration.ofSeconds(1);
    /** Events one message covers at most; the rest go in the next. */
    static final int MAX_EVENTS = 1000;
    private static final int WARN_EVERY = 10;

    private record Entry(long seq, Delivery delivery) {
    }

    private final String label;
    private final ReceiverAddress address;
    private final ChatRenderer chat;
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
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    /** The message's events, in flight or waiting for a retry; null when none. */
    private List<Entry> message;
    private int failedAttempts;
    private boolean scheduled;
    private Instant nextAllowed = Instant.MIN;
    private Cancellable inFlight;

    // shared
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean disabled;

    ChatQueue(WebhookReceiver receiver, DeliveryStore store, DeliveryPolicy policy, WebhookSender sender,
              Executor context, MeterRegistry registry) {
        this.label = receiver.label();
        this.address = receiver.address();
        this.chat = receiver.chat().orElseThrow();
        this.renderer = new DeliveryRenderer(receiver);
        this.store = store;
        this.sender = sender;
        this.retries = new RetryPolicy(policy);
        this.maxAge = policy.maxAge();
        this.timers = policy.timers();
        this.thread = new QueueContext(context, timers, label, () -> closed);
        this.registry = registry;
        this.metrics = ReceiverMetrics.register(registry, receiver.tag(), this::pending, () -> false,
                () -> disabled);
        resume();
    }

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
            Entry entry = new Entry(admitted.seq(), admitted.delivery());
            onContext(() -> admitted(List.of(entry), admitted.evicted()));
        });
    }

    @Override
    public int pending() {
        return pending.get();
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public boolean durable() {
        return store.durable();
    }

    @Override
    public int close() {
        closed = true;
        thread.stop(() -> {
            if (inFlight != null) {
                inFlight.cancel();
            }
            waiting.clear();
            message = null;
        });
        int left = pending.getAndSet(0);
        store.close();
        metrics.unregisterGauges(registry);
        return left;
    }

    private void resume() {
        List<Entry> kept = Backlog.recover(store, timers.now(), maxAge, metrics, label, delivery -> delivery).stream()
                .map(row -> new Entry(row.seq(), row.delivery())).toList();
        if (kept.isEmpty()) {
            return;
        }
        pending.addAndGet(kept.size());
        onContext(() -> admitted(kept, List.of()));
    }

    private void admitted(List<Entry> entries, List<Long> evicted) {
        if (closed) {
            return;
        }
        if (!evicted.isEmpty()) {
            Set<Long> gone = Set.copyOf(evicted);
            int before = waiting.size();
            waiting.removeIf(entry -> gone.contains(entry.seq()));
            int dropped = before - waiting.size();
            if (dropped > 0) {
                pending.addAndGet(-dropped);
                metrics.overflow().increment(dropped);
                LOG.warnf("webhook spool for %s reached wgmon.webhook.spool-max-size: dropped the %d oldest "
                        + "undelivered events", label, dropped);
            }
        }
        waiting.addAll(entries);
        schedule();
    }

    /** The next message goes out after the gathering window, and not before the preset's interval has passed. */
    private void schedule() {
        if (message != null || scheduled || waiting.isEmpty()) {
            return;
        }
        scheduled = true;
        Instant now = timers.now();
        Duration untilAllowed = nextAllowed.isAfter(now) ? Duration.between(now, nextAllowed) : Duration.ZERO;
        later(untilAllowed.compareTo(GATHER) > 0 ? untilAllowed : GATHER, this::take);
    }

    private void take() {
        scheduled = false;
        if (closed || message != null) {
            return;
        }
        Instant now = timers.now();
        List<Entry> taken = new ArrayList<>();
        while (!waiting.isEmpty() && taken.size() < MAX_EVENTS) {
            Entry entry = waiting.pollFirst();
            if (isExpired(entry.delivery(), now)) {
                dropExpired(List.of(entry));
            } else {
                taken.add(entry);
            }
        }
        if (taken.isEmpty()) {
            return;
        }
        message = taken;
        failedAttempts = 0;
        long last = taken.get(taken.size() - 1).seq();
        store.whenStored(last, () -> onContext(this::attempt)); // the store commits in order: all are stored
    }

    private void attempt() {
        if (closed || message == null) {
            return;
        }
        if (disabled) {
            finish(message);
            message = null;
            return;
        }
        List<Entry> expired = message.stream().filter(entry -> isExpired(entry.delivery(), timers.now())).toList();
        if (!expired.isEmpty()) {
            dropExpired(expired);
        }
        if (!leave(expired)) {
            return;
        }
        List<EventFacts> events = new ArrayList<>(message.size());
        List<Entry> unreadable = new ArrayList<>();
        for (Entry entry : message) {
            try {
                events.add(EventFacts.fromJson(entry.delivery().payload().body()));
            } catch (RuntimeException e) {
                unreadable.add(entry);
            }
        }
        if (!unreadable.isEmpty()) {
            LOG.warnf("webhook spool for %s: %d stored events are not wgmon's JSON events (stored under another "
                    + "format?); dropped", label, unreadable.size());
            metrics.failed().increment(unreadable.size());
            finish(unreadable);
        }
        if (!leave(unreadable)) {
            return;
        }
        Delivery first = message.get(0).delivery();
        String eventType = message.size() == 1 ? first.eventType() : "summary";
        try {
            ChatRenderer.Message rendered = chat.render(events);
            DeliveryHeaders headers = renderer.headers(eventType, first.id(), rendered, timers.now());
            List<Entry> sent = message;
            inFlight = sender.send(address, rendered.payload(), headers).subscribe().with(
                    reply -> onContext(() -> onReply(sent, reply)),
                    failure -> onContext(() -> onFailure(sent, ReceiverQueue.describe(failure), Optional.empty())));
        } catch (RuntimeException e) {
            onFailure(message, ReceiverQueue.describe(e), Optional.empty());
        }
    }

    /** Takes finished entries out of the message; @return whether events are left to send */
    private boolean leave(List<Entry> gone) {
        if (gone.isEmpty()) {
            return true;
        }
        message = new ArrayList<>(message);
        message.removeAll(gone);
        if (!message.isEmpty()) {
            return true;
        }
        message = null;
        schedule();
        return false;
    }

    private void onReply(List<Entry> sent, ReceiverReply reply) {
        inFlight = null;
        if (closed || sent != message) {
            return;
        }
        if (reply.status() == Gone.STATUS) {
            disabled = true;
            int dropped = pending.get();
            Gone.log(label, dropped);
            metrics.failed().increment(dropped);
            finish(sent);
            message = null;
            List<Entry> rest = new ArrayList<>(waiting);
            waiting.clear();
            finish(rest);
            return;
        }
        switch (ReplyOutcome.of(reply.status())) {
            case DELIVERED -> {
                metrics.delivered().increment(sent.size());
                LOG.debugf("delivered a message of %d events to %s (HTTP %d)", (Object) sent.size(), label, reply.status());
                sent(sent);
            }
            case REJECTED -> {
                metrics.failed().increment(sent.size());
                LOG.warnf("%s refused a message of %d events with HTTP %d; dropped (not retried)", label, sent.size(),
                        reply.status());
                sent(sent);
            }
            case RETRY -> onFailure(sent, "HTTP " + reply.status(), retries.retryAfter(reply));
        }
    }

    private void sent(List<Entry> sent) {
        finish(sent);
        message = null;
        nextAllowed = timers.now().plus(chat.interval());
        schedule();
    }

    private void onFailure(List<Entry> sent, String cause, Optional<Duration> retryAfter) {
        inFlight = null;
        if (closed || sent != message) {
            return;
        }
        failedAttempts++;
        metrics.retries().increment();
        Duration delay = retries.retryDelay(failedAttempts, retryAfter);
        String text = String.format("delivering a message of %d events to %s failed (attempt %d: %s); retrying in "
                + "%d ms", sent.size(), label, failedAttempts, cause, delay.toMillis());
        if (failedAttempts == 1 || failedAttempts % WARN_EVERY == 0) {
            LOG.warn(text);
        } else {
            LOG.debug(text);
        }
        later(delay, this::attempt);
    }

    private void dropExpired(List<Entry> entries) {
        metrics.expired().increment(entries.size());
        LOG.warnf("webhook for %s: dropped %d events, not delivered within wgmon.webhook.max-age=%s", label,
                entries.size(), maxAge);
        finish(entries);
    }

    private void finish(List<Entry> entries) {
        for (Entry entry : entries) {
            store.done(entry.seq());
        }
        pending.addAndGet(-entries.size());
    }

    private boolean isExpired(Delivery delivery, Instant now) {
        return Backlog.isExpired(delivery, now, maxAge);
    }

    private void later(Duration delay, Runnable task) {
        thread.later(delay, task);
    }

    private void onContext(Runnable task) {
        thread.run(task);
    }
}
