package io.wgmon.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.wgmon.delivery.chat.ChatQueue;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.http.WebhookSender;
import io.wgmon.delivery.mqtt.MqttSinks;
import io.wgmon.delivery.queue.DeliveryPolicy;
import io.wgmon.delivery.queue.DeliveryQueue;
import io.wgmon.delivery.queue.DeliveryStore;
import io.wgmon.delivery.queue.MemoryDeliveryStore;
import io.wgmon.delivery.queue.ReceiverContexts;
import io.wgmon.delivery.queue.ReceiverQueue;
import io.wgmon.delivery.queue.SqliteDeliveryStore;
import io.wgmon.store.DeliveryTable;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.store.PeerStateTable;
import io.wgmon.store.StoreDatabase;
import io.wgmon.store.StoreTransaction;
import io.wgmon.tracking.EventOutbox;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fans peer events out to the configured receivers (docs/architecture.md#pipeline, docs/architecture.md#delivery): at-least-once, in order
 * per peer, retried with backoff until the receiver accepts (2xx) or refuses (4xx) the event; each
 * receiver gets the event types it selected independently, in its own format, with its own queue, circuit and
 * context.
 * As tracking's {@link EventOutbox} it takes each scan's events with the tracker's state changes and hands
 * both to the store as one transaction; {@link #commit} never blocks and never writes to disk itself. With
 * no receiver each event is logged at INFO as one JSON line.
 */
public final class WebhookDispatcher implements EventOutbox, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final Duration DRAIN_POLL = Duration.ofMillis(20);

    /** The webhook receivers' queues, then the sinks added before the first commit. */
    private volatile List<DeliveryQueue> receivers;
    /** Each receiver's event types, in the order of {@link #receivers}. */
    private volatile List<Set<PeerEventType>> selected;
    /** Whether each receiver is a chat (a preset that writes messages), in the order of {@link #receivers}. */
    private volatile List<Boolean> chats;
    private volatile Predicate<PeerEvent> quietInChat = event -> false;
    private final JsonPayloadFormat logFormat = new JsonPayloadFormat();
    private final Optional<StoreDatabase> store;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param receivers empty = log events only
     * @param store     the open store, or none: then every receiver's events are held in memory only, and
     *                  state changes cannot be committed; not closed by this dispatcher
     * @param sender    not closed by this dispatcher
     */
    public WebhookDispatcher(List<WebhookReceiver> receivers, DeliveryPolicy policy, Optional<StoreDatabase> store,
                             ReceiverContexts contexts, WebhookSender sender, MeterRegistry registry) {
        this.store = store;
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
            throw e;
        }
        this.receivers = List.copyOf(queues);
        this.selected = receivers.stream().map(WebhookReceiver::events).toList();
        this.chats = receivers.stream().map(receiver -> receiver.chat().isPresent()).toList();
        store.ifPresent(database -> warnAboutUnused(database,
                Set.copyOf(receivers.stream().map(WebhookReceiver::spoolName).toList())));
    }

    /**
     * Adds a delivery room of another kind (the MQTT sink) behind the same commit seam, getting the default
     * event types; only before the first {@link #commit}, by the producer that builds this dispatcher.
     */
    public void addSink(DeliveryQueue sink) {
        List<DeliveryQueue> all = new ArrayList<>(receivers);
        all.add(sink);
        List<Set<PeerEventType>> types = new ArrayList<>(selected);
        types.add(WebhookReceiver.DEFAULT_EVENTS);
        selected = List.copyOf(types);
        List<Boolean> chat = new ArrayList<>(chats);
        chat.add(false);
        chats = List.copyOf(chat);
        receivers = List.copyOf(all);
    }

    /**
     * The events chat receivers do not get though they selected the type (a roaming peer's disconnects,
     * docs/architecture.md#expectations); only before the first {@link #commit}, by the producer.
     */
    public void quietInChat(Predicate<PeerEvent> quiet) {
        quietInChat = quiet;
    }

    /**
     * Admits every event for every receiver that selected its type and submits their rows with {@code changes} as one store
     * transaction; returns at once. Never throws for a bad event.
     */
    @Override
    public void commit(List<PeerEvent> events, PeerStateChanges changes) {
        StoreTransaction transaction = new StoreTransaction();
        if (!changes.isEmpty()) {
            transaction.add(PeerStateTable.write(changes));
            receivers.forEach(receiver -> receiver.stateChanged(changes));
        }
        events.forEach(event -> admit(event, transaction));
        if (!transaction.isEmpty()) {
            store.orElseThrow(() -> new IllegalStateException("rows to commit, but no store is open"))
                    .submit(transaction);
        }
    }

    private void admit(PeerEvent event, StoreTransaction transaction) {
        if (receivers.isEmpty()) {
            try {
                LOG.info(logFormat.renderText(event));
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot log event %s", event);
            }
            return;
        }
        for (int i = 0; i < receivers.size(); i++) {
            DeliveryQueue receiver = receivers.get(i);
            if (!selected.get(i).contains(event.type()) || chats.get(i) && quietInChat.test(event)) {
                continue;
            }
            try {
                receiver.offer(event, transaction);
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot deliver event %s to %s; dropped", event, receiver.label());
            }
        }
    }

    /** Whether undelivered events outlive {@link #close}: there is a store. */
    public boolean durable() {
        return store.isPresent();
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
     * Stops all deliveries at once; what is still pending is lost (or stays in the store) and logged. A
     * second call does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
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
        if (lost > 0) {
            LOG.warnf("webhook dispatcher stopped with %d undelivered events", lost);
        }
    }

    private DeliveryStore store(WebhookReceiver receiver, DeliveryPolicy policy) {
        if (store.isEmpty()) {
            return new MemoryDeliveryStore(policy.queueSize());
        }
        return SqliteDeliveryStore.open(store.get(), receiver.spoolName(), policy.spoolMaxBytes(), receiver.label());
    }

    /** Undelivered events of receivers no longer configured are not sent: say so. */
    private static void warnAboutUnused(StoreDatabase database, Set<String> inUse) {
        database.call(DeliveryTable::undeliveredByReceiver).forEach((name, count) -> {
            if (!inUse.contains(name) && !name.startsWith(MqttSinks.SPOOL_PREFIX)) {
                LOG.warnf("webhook spool %s in %s belongs to no configured receiver (its receiver was removed or its "
                        + "URL changed): its %d events are not sent", name, database.dir(), count);
            }
        });
    }
}
