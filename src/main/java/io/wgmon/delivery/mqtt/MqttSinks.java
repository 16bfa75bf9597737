package io.wgmon.delivery.mqtt;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.wgmon.Wiring;
import io.wgmon.config.WgmonConfig;
import io.wgmon.delivery.queue.DeliveryStore;
import io.wgmon.delivery.queue.MemoryDeliveryStore;
import io.wgmon.delivery.queue.ReceiverContexts;
import io.wgmon.delivery.queue.SqliteDeliveryStore;
import io.wgmon.timing.Backoff;
import io.wgmon.timing.Timers;
import io.wgmon.tracking.PeerNames;
import io.wgmon.tracking.TrackingView;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.ObserverMethod;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executor;

/**
 * Builds the {@link MqttSink} from {@code wgmon.mqtt.*} for the dispatcher, and starts it once the tracker's
 * view exists (the view needs the dispatcher, so the sink cannot take it when built).
 */
@ApplicationScoped
public class MqttSinks {
    private static final Logger LOG = Logger.getLogger(MqttSinks.class);
    /** Spool names of MQTT sinks in the delivery table: {@code mqtt:<host>:<port>}. */
    public static final String SPOOL_PREFIX = "mqtt:";

    private final WgmonConfig config;
    private final Vertx vertx;
    private final Timers timers;
    private final PeerNames names;
    private final MeterRegistry registry;
    private final String version;
    private volatile Optional<MqttSink> built = Optional.empty();

    public MqttSinks(WgmonConfig config, Vertx vertx, Timers timers, PeerNames names, MeterRegistry registry,
                     @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.config = config;
        this.registry = registry;
        this.version = version;
        this.vertx = vertx;
        this.timers = timers;
        this.names = names;
    }

    /** Whether {@code wgmon.mqtt.host} is set: then events go to the broker, not only to the log. */
    public boolean configured() {
        return config.mqtt().host().isPresent();
    }

    /** The sink, or none when {@code wgmon.mqtt.host} is not set; its rows go to {@code store} when there is one. */
    public Optional<MqttSink> create(Optional<io.wgmon.store.StoreDatabase> store) {
        WgmonConfig.Mqtt mqtt = config.mqtt();
        if (mqtt.host().isEmpty()) {
            return Optional.empty();
        }
        String host = mqtt.host().get();
        int port = MqttOptions.port(mqtt);
        String hostName = Wiring.host(config);
        MqttTopics topics = new MqttTopics(mqtt.topicPrefix(), hostName);
        String clientId = mqtt.clientId().orElse("wgmon-" + MqttTopics.level(hostName));
        Executor context = ReceiverContexts.on(vertx).create();
        MqttOptions options = MqttOptions.of(mqtt, clientId, topics, context, vertx);
        String label = options.label();
        DeliveryStore outbox = store.<DeliveryStore>map(database -> SqliteDeliveryStore.open(database,
                        SPOOL_PREFIX + host + ":" + port, config.webhook().spoolMaxSize().asLongValue(), label))
                .orElseGet(() -> new MemoryDeliveryStore(config.webhook().queueSize()));
        Backoff backoff = new Backoff(mqtt.retryInitial(), mqtt.retryMax(), new Random());
        MqttSink sink = new MqttSink(outbox, topics, new StateMessages(topics, names), context,
                listener -> new MqttLink(options, backoff, timers, context, listener),
                mqtt.discovery() ? Optional.of(new HomeAssistantDiscovery(mqtt.discoveryPrefix(), topics, names, version))
                        : Optional.empty(), registry, host + ":" + port);
        LOG.infof("mqtt: events and peer states go to %s as %s under %s/%s/ (MQTT %s, %s, keepalive %ds, events %s%s)",
                label, clientId, mqtt.topicPrefix(), topics.host(), options.protocol(),
                mqtt.username().map(u -> "user " + u).orElse("no user"),
                mqtt.keepalive().toSeconds(), store.isPresent() ? "kept in the store until acknowledged"
                        : "queued in memory only", mqtt.discovery() ? ", Home Assistant discovery under "
                        + mqtt.discoveryPrefix() + "/" : "");
        built = Optional.of(sink);
        return built;
    }

    /**
     * After the {@code @Startup} dispatcher (default priority), which builds the sink: with equal priorities
     * CDI may run this first, and the sink would never start.
     */
    void start(@Observes @Priority(ObserverMethod.DEFAULT_PRIORITY + 1) StartupEvent event, Instance<TrackingView> view) {
        if (config.mqtt().host().isEmpty()) {
            return;
        }
        TrackingView tracking = view.get();
        built.ifPresent(sink -> sink.start(tracking::peers));
    }
}
