package io.wgmon.delivery.mqtt;

import io.micrometer.core.instrument.MeterRegistry;
import io.wgmon.delivery.format.Delivery;
import io.wgmon.delivery.format.DeliveryRenderer;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.queue.DeliveryQueue;
import io.wgmon.delivery.queue.DeliveryStore;
import io.wgmon.store.StoreTransaction;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerKey;
import io.wgmon.tracking.PeerState;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The MQTT sink (docs/architecture.md#mqtt), a delivery room beside the webhook receivers behind the same
 * commit seam. Each event's row joins the scan's store transaction; once committed it is published to
 * {@code .../event} with QoS 1 and marked done after the broker's PUBACK. Events go out in admission order
 * (so per peer in order), at most {@link #WINDOW} unacknowledged; a lost connection puts everything
 * unacknowledged back in line, sent again after the reconnect (at least once: the event id is in the
 * payload, and under MQTT 5 in a user property too). An event an MQTT 5 broker refuses (an error reason code
 * in its PUBACK) is dropped with a WARN, as a webhook receiver's 4xx is. Retained {@code state} and
 * {@code attributes} follow each event when connected, and every peer's are published again from the
 * tracker's view on each (re)connect, after the birth message.
 * <p>
 * Everything but {@link #offer} and the pending count runs on the sink's one context.
 */
public final class MqttSink implements DeliveryQueue, MqttLink.Listener {
    private static final Logger LOG = Logger.getLogger(MqttSink.class);
    static final String ONLINE = "online";
    static final String OFFLINE = "offline";
    /** Events published and not yet acknowledged. */
    static final int WINDOW = 64;
    private static final long CLOSE_WAIT_MILLIS = 500;

    private static final class Entry {
        final long seq;
        final Delivery delivery;
        boolean stored;
        /** Handed to the client on this connection. */
        boolean sent;

        Entry(long seq, Delivery delivery, boolean stored) {
            this.seq = seq;
            this.delivery = delivery;
            this.stored = stored;
        }
    }

    private final DeliveryStore store;
    private final DeliveryRenderer renderer = new DeliveryRenderer(new JsonPayloadFormat(), Optional.empty(),
            Optional.empty());
    private final MqttTopics topics;
    private final StateMessages states;
    private final Executor context;
    private final MqttLink link;
    private final Optional<HomeAssistantDiscovery> discovery;
    private final MqttMetrics metrics;

    // shared
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean online;

    // confined to the context
    private final TreeMap<Long, Entry> line = new TreeMap<>();
    private int unacknowledged;
    private MqttSession client;
    private Supplier<List<PeerState>> peers = List::of;
    /** Peers whose Home Assistant configs were published in this run. */
    private final Set<PeerKey> announced = new HashSet<>();

    /**
     * @param link      built with this sink as its listener, through {@code linkFor}
     * @param discovery Home Assistant's configs, announced on each (re)connect and on its birth message
     * @param broker    the {@code broker} tag of its meters
     */
    MqttSink(DeliveryStore store, MqttTopics topics, StateMessages states, Executor context,
             Function<MqttLink.Listener, MqttLink> linkFor, Optional<HomeAssistantDiscovery> discovery,
             MeterRegistry registry, String broker) {
        this.store = store;
        this.topics = topics;
        this.states = states;
        this.context = context;
        this.link = linkFor.apply(this);
        this.discovery = discovery;
        this.metrics = MqttMetrics.register(registry, broker, pending::get, () -> online);
        List<DeliveryStore.Stored> kept = store.recover();
        pending.addAndGet(kept.size());
        context.execute(() -> kept.forEach(row -> line.put(row.seq(), new Entry(row.seq(), row.delivery(), true))));
        if (!kept.isEmpty()) {
            LOG.infof("mqtt: %d events from the previous run wait for %s", kept.size(), link.label());
        }
    }

    /** Starts connecting, reading the peers' states from {@code peers} on each connect. */
    public void start(Supplier<List<PeerState>> peers) {
        context.execute(() -> {
            this.peers = peers;
            link.start();
        });
    }

    @Override
    public void offer(PeerEvent event, StoreTransaction transaction) {
        if (closed) {
            return;
        }
        Delivery delivery = renderer.render(event);
        DeliveryStore.Admission admission = store.admit(delivery, transaction);
        if (admission.refusal() != null) {
            LOG.warnf("mqtt outbox: %s; dropped %s", admission.refusal(), delivery.describe());
            metrics.overflow().increment();
            return;
        }
        pending.incrementAndGet();
        List<StateMessages.Retained> retained = states.of(event);
        context.execute(() -> admitted(admission.seq(), delivery, admission.evicted(), retained));
    }

    private void admitted(long seq, Delivery delivery, List<Long> evicted, List<StateMessages.Retained> retained) {
        if (closed) {
            return;
        }
        for (long old : evicted) {
            Entry gone = line.get(old);
            if (gone != null && !gone.sent) {
                line.remove(old);
                pending.decrementAndGet();
                metrics.overflow().increment();
                LOG.warnf("mqtt outbox reached wgmon.webhook.spool-max-size: dropped %s", gone.delivery.describe());
            }
        }
        Entry entry = new Entry(seq, delivery, false);
        line.put(seq, entry);
        store.whenStored(seq, () -> context.execute(() -> {
            entry.stored = true;
            pump();
        }));
        if (client != null) {
            MqttSession current = client;
            discovery.filter(ha -> announced.add(delivery.peer()))
                    .ifPresent(ha -> ha.configs(delivery.peer()).forEach(config -> publishRetained(current, config)));
            retained.forEach(message -> publishRetained(current, message));
        }
    }

    /** Sends what is stored, in order, while the window has room. */
    private void pump() {
        MqttSession current = client;
        if (current == null || closed) {
            return;
        }
        for (Entry entry : line.values()) {
            if (unacknowledged >= WINDOW) {
                return;
            }
            if (entry.sent) {
                continue;
            }
            if (!entry.stored) {
                return; // rows commit in order: nothing after it is stored either
            }
            entry.sent = true;
            unacknowledged++;
            Delivery delivery = entry.delivery;
            current.publish(topics.event(delivery.peer()), delivery.payload().body(), false, Optional.of(delivery.id()))
                    .whenCompleteAsync((ignored, failure) -> {
                        if (client != current) {
                            return; // lost() put it back in line
                        }
                        if (failure == null) {
                            done(entry.seq);
                            metrics.published().increment();
                            LOG.debugf("mqtt: published %s", delivery.describe());
                        } else if (refusal(failure) instanceof MqttRefusal refused) {
                            done(entry.seq);
                            metrics.failed().increment();
                            LOG.warnf("mqtt: %s; dropped %s", refused.getMessage(), delivery.describe());
                        } else {
                            LOG.debugf("mqtt: publishing %s failed: %s", delivery.describe(),
                                    MqttFailures.describe(failure));
                            entry.sent = false;
                            unacknowledged--;
                        }
                    }, context);
        }
    }

    private static Throwable refusal(Throwable failure) {
        return failure.getCause() instanceof MqttRefusal refused ? refused : failure;
    }

    private void done(long seq) {
        Entry entry = line.remove(seq);
        if (entry == null) {
            return;
        }
        unacknowledged--;
        store.done(seq);
        pending.decrementAndGet();
        pump();
    }

    @Override
    public void connected(MqttSession connected) {
        client = connected;
        online = true;
        publishRetained(connected, topics.status(), ONLINE.getBytes(StandardCharsets.US_ASCII));
        for (PeerState peer : peers.get()) {
            states.of(peer).forEach(message -> publishRetained(connected, message));
        }
        discovery.ifPresent(ha -> {
            connected.subscribe(ha.birthTopic(), this::received, context).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    LOG.debugf("mqtt: subscribing to %s failed: %s", ha.birthTopic(), MqttFailures.describe(failure));
                }
            });
            announceAll(connected, ha);
        });
        pump();
    }

    @Override
    public void lost() {
        client = null;
        online = false;
        unacknowledged = 0;
        line.values().forEach(entry -> entry.sent = false);
    }

    /**
     * Every tracked peer's configs; a peer announced earlier in this run and no longer tracked has its
     * configs cleared.
     */
    private void announceAll(MqttSession current, HomeAssistantDiscovery ha) {
        Set<PeerKey> tracked = new HashSet<>();
        for (PeerState peer : peers.get()) {
            tracked.add(peer.key());
            ha.configs(peer.key()).forEach(config -> publishRetained(current, config));
        }
        for (PeerKey gone : List.copyOf(announced)) {
            if (!tracked.contains(gone)) {
                ha.removals(gone).forEach(removal -> publishRetained(current, removal));
            }
        }
        announced.clear();
        announced.addAll(tracked);
        LOG.debugf("mqtt: announced %d peers to Home Assistant", tracked.size());
    }

    /** A message on a topic the sink subscribed to: Home Assistant's birth. */
    private void received(String topic, String payload) {
        MqttSession current = client;
        discovery.filter(ha -> current != null && topic.equals(ha.birthTopic()) && payload.equals(ONLINE))
                .ifPresent(ha -> announceAll(current, ha));
    }

    /**
     * Peers the tracker forgot (removed from their interface): their retained state and attributes are
     * cleared (an empty retained message), and so are their Home Assistant configs, which removes the entities.
     */
    @Override
    public void stateChanged(PeerStateChanges changes) {
        if (changes.deletes().isEmpty() || closed) {
            return;
        }
        List<PeerKey> forgotten = changes.deletes().stream()
                .map(key -> new PeerKey(key.interfaceName(), key.publicKey())).toList();
        context.execute(() -> {
            MqttSession current = client;
            for (PeerKey peer : forgotten) {
                announced.remove(peer);
                if (current != null) {
                    discovery.ifPresent(ha -> ha.removals(peer).forEach(removal -> publishRetained(current, removal)));
                    states.removals(peer).forEach(removal -> publishRetained(current, removal));
                }
            }
        });
    }

    private void publishRetained(MqttSession current, StateMessages.Retained message) {
        publishRetained(current, message.topic(), message.payload());
    }

    /** QoS 1, not tracked: what a lost connection loses is published again on the next connect. */
    private CompletableFuture<Void> publishRetained(MqttSession current, String topic, byte[] payload) {
        return current.publish(topic, payload, true, Optional.empty());
    }

    @Override
    public int pending() {
        return pending.get();
    }

    @Override
    public String label() {
        return link.label();
    }

    @Override
    public boolean durable() {
        return store.durable();
    }

    /** Says {@code offline} on the status topic (a clean disconnect sends no will) and disconnects. */
    @Override
    public int close() {
        if (closed) {
            return 0;
        }
        closed = true;
        CountDownLatch stopped = new CountDownLatch(1);
        link.stop(() -> {
            MqttSession current = client;
            return current == null ? CompletableFuture.completedFuture(null)
                    : publishRetained(current, topics.status(), OFFLINE.getBytes(StandardCharsets.US_ASCII));
        }, stopped::countDown);
        online = false;
        try {
            stopped.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        return pending.getAndSet(0);
    }
}
