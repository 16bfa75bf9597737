package io.wgmon.webhook;

import io.wgmon.timing.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.wgmon.tracking.PeerEvent;
import org.jboss.logging.Logger;

import io.wgmon.store.StoreDatabase;
import io.wgmon.timing.Timers;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Fans peer events out to the configured receivers (docs/architecture.md#pipeline, docs/architecture.md#delivery): at-least-once, in order
 * per peer, retried with backoff until the receiver accepts (2xx) or refuses (4xx) the event; each
 * receiver gets every event independently, in its own format, with its own queue, circuit and context.
 * {@link #submit} never blocks and never writes to disk: with a spool the store's own thread writes the
 * event. With no receiver each event is logged at INFO as one JSON line.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final Duration DRAIN_POLL = Duration.ofMillis(20);
    private static final int DEFAULT_CIRCUIT_THRESHOLD = 5;
    /** The plain constructor keeps events until delivered, however old. */
    private static final Duration NO_MAX_AGE = Duration.ofSeconds(Long.MAX_VALUE);

    private final List<DeliveryQueue> receivers;
    private final JsonPayloadFormat logFormat = new JsonPayloadFormat();
    private final Optional<StoreDatabase> database;

    /**
     * Every URL with the same format and signer, no spool, no max age, the default circuit threshold.
     *
     * @param receivers  receiver URLs; empty = log events only
     * @param queueSize  events held per receiver (queued or in flight) before new ones are dropped
     * @param sender     not closed by this dispatcher
     */
    public WebhookDispatcher(List<URI> receivers, int queueSize, Backoff backoff, PayloadFormat format,
                             Optional<WebhookSigner> signer, Timers timers, ReceiverContexts contexts,
                             WebhookSender sender, MeterRegistry registry) {
        this(byUrl(receivers, format, signer), new DeliveryPolicy(queueSize, backoff, DEFAULT_CIRCUIT_THRESHOLD,
                NO_MAX_AGE, Optional.empty(), timers), contexts, sender, registry);
    }

    /**
     * @param receivers empty = log events only
     * @param sender    not closed by this dispatcher
     * @throws io.wgmon.store.StoreException naming the directory when the store cannot be opened
     */
    public WebhookDispatcher(List<WebhookReceiver> receivers, DeliveryPolicy policy, ReceiverContexts contexts,
                             WebhookSender sender, MeterRegistry registry) {
        this.database = receivers.isEmpty() ? Optional.empty() : policy.spool().map(spooling -> StoreDatabase.open(spooling.dir()));
        List<DeliveryQueue> queues = new ArrayList<>();
        try {
            for (WebhookReceiver receiver : receivers) {
                sender.prepare(receiver.address());
                queues.add(receiver.chat().isPresent()
                        ? new ChatQueue(receiver, store(receiver, policy), policy, sender, contexts.create(), registry)
                        : new ReceiverQueue(receiver, store(receiver, policy), policy, sender, contexts.create(),
                                registry));
            }
        } catch (RuntimeException e) {
            queues.forEach(DeliveryQueue::close);
            database.ifPresent(StoreDatabase::close);
            throw e;
        }
        this.receivers = List.copyOf(queues);
        database.ifPresent(db -> warnAboutUnused(db,
                Set.copyOf(receivers.stream().map(WebhookReceiver::spoolName).toList())));
    }

    /** Queues the event for every receiver and returns at once. Never throws for a bad event. */
    public void submit(PeerEvent event) {
        if (receivers.isEmpty()) {
            try {
                LOG.info(logFormat.renderText(event));
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot log event %s", event);
            }
            return;
        }
        for (DeliveryQueue receiver : receivers) {
            try {
                receiver.offer(event);
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot deliver event %s to %s; dropped", event, receiver.label());
            }
        }
    }

    /** The durable store, open while the dispatcher is (with a spool and at least one receiver). */
    public Optional<StoreDatabase> database() {
        return database;
    }

    /** Events queued or in flight, summed over all receivers. */
    public int pending() {
        return receivers.stream().mapToInt(DeliveryQueue::pending).sum();
    }

    /**
     * Waits until nothing is pending or the timeout passed; for shutdown, never call it on an event-loop
     * thread.
     *
     * @return whether everything was delivered
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(DRAIN_POLL.toNanos());
        }
        return true;
    }

    /**
     * Stops all deliveries at once; what is still pending is lost (or stays in the store) and logged. The
     * store commits what was queued for it before it closes.
     */
    @Override
    public void close() {
        int lost = 0;
        for (DeliveryQueue receiver : receivers) {
            int left = receiver.close();
            if (left > 0 && receiver.durable()) {
                LOG.infof("webhook dispatcher stopped: %d undelivered events for %s stay in the spool for the next "
                        + "start", left, receiver.label());
            } else {
                lost += left;
            }
        }
        database.ifPresent(StoreDatabase::close);
        if (lost > 0) {
            LOG.warnf("webhook dispatcher stopped with %d undelivered events", lost);
        }
    }

    private DeliveryStore store(WebhookReceiver receiver, DeliveryPolicy policy) {
        if (database.isEmpty()) {
            return new MemoryDeliveryStore(policy.queueSize());
        }
        return SqliteDeliveryStore.open(database.get(), receiver.spoolName(), policy.spool().orElseThrow().maxBytes(),
                receiver.label());
    }

    /** Undelivered events of receivers no longer configured are not sent: say so. */
    private static void warnAboutUnused(StoreDatabase database, Set<String> inUse) {
        database.call(DeliveryTable::undeliveredByReceiver).forEach((name, count) -> {
            if (!inUse.contains(name)) {
                LOG.warnf("webhook spool %s in %s belongs to no configured receiver (its receiver was removed or its "
                        + "URL changed): its %d events are not sent", name, database.dir(), count);
            }
        });
    }

    private static List<WebhookReceiver> byUrl(List<URI> urls, PayloadFormat format, Optional<WebhookSigner> signer) {
        List<String> tags = Receivers.tags(urls);
        return IntStream.range(0, urls.size())
                .mapToObj(i -> WebhookReceiver.ofUrl(urls.get(i), tags.get(i), Map.of(), format, signer))
                .toList();
    }
}
