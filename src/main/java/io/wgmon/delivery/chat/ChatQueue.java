package io.wgmon.delivery.chat;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.subscription.Cancellable;

import io.wgmon.delivery.WebhookReceiver;
import io.wgmon.delivery.format.Delivery;
import io.wgmon.delivery.format.EventFacts;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.http.DeliveryHeaders;
import io.wgmon.delivery.http.ReceiverReply;
import io.wgmon.delivery.http.WebhookSender;
import io.wgmon.delivery.queue.DeliveryPolicy;
import io.wgmon.delivery.queue.DeliveryQueue;
import io.wgmon.delivery.queue.DeliveryStore;
import io.wgmon.delivery.queue.QueueCore;
import io.wgmon.delivery.queue.ReceiverQueue;
import io.wgmon.store.StoreTransaction;
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

/**
 * Deliveries to one chat preset's receiver (docs/architecture.md#delivery): one message at a time, never two
 * within the preset's interval, and everything that is pending when a message goes out goes out in it:
 * one event's line, or one summary of a burst. The store keeps the events (their {@link JsonPayloadFormat}
 * bodies), not messages; a message is rendered when it is sent, so a burst read back after a restart is
 * still one summary. A failed message is retried with the same events (and the same Matrix transaction id)
 * with backoff and Retry-After; a refused one (4xx) is dropped; 410 Gone disables the receiver.
 * <p>
 * Threads as in {@link ReceiverQueue}: {@link #offer} admits on the caller's thread, all else runs on the
 * queue's one context ({@link QueueCore}).
 */
public final class ChatQueue implements DeliveryQueue {
    private static final Logger LOG = Logger.getLogger(ChatQueue.class);
    /** How long the first event of a burst waits for the rest: a scan reports a burst within milliseconds. */
    static final Duration GATHER = Duration.ofSeconds(1);
    /** Events one message covers at most; the rest go in the next. */
    static final int MAX_EVENTS = 1000;

    private record Entry(long seq, Delivery delivery) {
    }

    private final QueueCore core;
    private final ChatRenderer chat;

    // confined to the context
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    /** The message's events, in flight or waiting for a retry; null when none. */
    private List<Entry> message;
    private int failedAttempts;
    private boolean scheduled;
    private Instant nextAllowed = Instant.MIN;
    private Cancellable inFlight;

    public ChatQueue(WebhookReceiver receiver, DeliveryStore store, DeliveryPolicy policy, WebhookSender sender,
              Executor context, MeterRegistry registry) {
        this.core = new QueueCore(receiver, store, policy, sender, context, registry, () -> false);
        this.chat = receiver.chat().orElseThrow();
        resume();
    }

    @Override
    public void offer(PeerEvent event, StoreTransaction transaction) {
        core.offer(event, transaction, admitted -> admitted(List.of(new Entry(admitted.seq(), admitted.delivery())),
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

    @Override
    public int close() {
        return core.close(() -> {
            if (inFlight != null) {
                inFlight.cancel();
                core.attemptEnded(seqs(message)); // stopped by wgmon, not ended with it
            }
            waiting.clear();
            message = null;
        });
    }

    private void resume() {
        List<Entry> kept = core.backlog(delivery -> delivery).stream()
                .map(row -> new Entry(row.seq(), row.delivery())).toList();
        if (!kept.isEmpty()) {
            core.run(() -> admitted(kept, List.of()));
        }
    }

    private void admitted(List<Entry> entries, List<Long> evicted) {
        if (core.closed()) {
            return;
        }
        if (!evicted.isEmpty()) {
            Set<Long> gone = Set.copyOf(evicted);
            int before = waiting.size();
            waiting.removeIf(entry -> gone.contains(entry.seq()));
            core.evicted(before - waiting.size());
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
        Instant now = core.timers.now();
        Duration untilAllowed = nextAllowed.isAfter(now) ? Duration.between(now, nextAllowed) : Duration.ZERO;
        core.later(untilAllowed.compareTo(GATHER) > 0 ? untilAllowed : GATHER, this::take);
    }

    private void take() {
        scheduled = false;
        if (core.closed() || message != null) {
            return;
        }
        List<Entry> taken = new ArrayList<>();
        while (!waiting.isEmpty() && taken.size() < MAX_EVENTS) {
            Entry entry = waiting.pollFirst();
            if (core.isExpired(entry.delivery())) {
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
        core.store.whenStored(last, () -> core.run(this::attempt)); // the store commits in order: all are stored
    }

    private void attempt() {
        if (core.closed() || message == null) {
            return;
        }
        if (core.disabled()) {
            core.finished(seqs(message));
            message = null;
            return;
        }
        List<Entry> expired = message.stream().filter(entry -> core.isExpired(entry.delivery())).toList();
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
                    + "format?); dropped", core.label, unreadable.size());
            core.metrics.failed().increment(unreadable.size());
            core.finished(seqs(unreadable));
        }
        if (!leave(unreadable)) {
            return;
        }
        Delivery first = message.get(0).delivery();
        String eventType = message.size() == 1 ? first.eventType() : "summary";
        List<Entry> sent = message;
        try {
            ChatRenderer.Message rendered = chat.render(events);
            DeliveryHeaders headers = core.renderer.headers(eventType, first.id(), rendered, core.timers.now());
            core.attempt(seqs(sent), sent.stream().map(Entry::delivery).toList(), rendered.payload(), headers,
                    attempt -> inFlight = attempt,
                    reply -> onReply(sent, reply),
                    (cause, retryAfter) -> onFailure(sent, cause, retryAfter),
                    this::attempt);
        } catch (RuntimeException e) {
            onFailure(sent, e.getClass().getSimpleName() + ": " + e.getMessage(), Optional.empty());
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
        if (core.closed() || sent != message) {
            return;
        }
        switch (core.answer(reply)) {
            case GONE -> {
                core.gone();
                core.finished(seqs(sent));
                message = null;
                List<Entry> rest = new ArrayList<>(waiting);
                waiting.clear();
                core.finished(seqs(rest));
            }
            case DELIVERED -> {
                core.delivered(sent.size(), () -> "a message of " + sent.size() + " events", reply.status());
                sent(sent);
            }
            case REJECTED -> {
                core.refused(sent.size(), "a message of " + sent.size() + " events", reply.status());
                sent(sent);
            }
            case RETRY -> onFailure(sent, "HTTP " + reply.status(), core.retries.retryAfter(reply));
        }
    }

    private void sent(List<Entry> sent) {
        core.finished(seqs(sent));
        message = null;
        nextAllowed = core.timers.now().plus(chat.interval());
        schedule();
    }

    private void onFailure(List<Entry> sent, String cause, Optional<Duration> retryAfter) {
        inFlight = null;
        if (core.closed() || sent != message) {
            return;
        }
        failedAttempts++;
        core.metrics.retries().increment();
        Duration delay = core.retries.retryDelay(failedAttempts, retryAfter);
        core.logFailure("a message of " + sent.size() + " events", failedAttempts, cause,
                "retrying in " + delay.toMillis() + " ms");
        core.later(delay, this::attempt);
    }

    private void dropExpired(List<Entry> entries) {
        core.expired(entries.size(), entries.size() + " events");
        core.finished(seqs(entries));
    }

    private static List<Long> seqs(List<Entry> entries) {
        return entries.stream().map(Entry::seq).toList();
    }
}
