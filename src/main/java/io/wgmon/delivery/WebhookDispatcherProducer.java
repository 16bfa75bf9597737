package io.wgmon.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import io.wgmon.ShutdownOrder;
import io.wgmon.StartupFailure;
import io.wgmon.config.StoreFolder;
import io.wgmon.config.WgmonConfig;
import io.wgmon.delivery.http.DeliveryWarmUp;
import io.wgmon.delivery.http.RestClientWebhookSender;
import io.wgmon.delivery.http.WebhookTls;
import io.wgmon.delivery.mqtt.MqttSinks;
import io.wgmon.delivery.queue.DeliveryPolicy;
import io.wgmon.delivery.queue.ReceiverContexts;
import io.wgmon.store.StoreDatabase;
import io.wgmon.store.StoreException;
import io.wgmon.timing.Backoff;
import io.wgmon.timing.Timers;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.tracking.PeerExpectations;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

/** Builds the {@link WebhookDispatcher} and its REST-client sender from {@code wgmon.webhook.*}. */
@ApplicationScoped
public class WebhookDispatcherProducer {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcherProducer.class);
    static final Duration DURABLE_DRAIN = Duration.ofMillis(300);

    private final WgmonConfig.Webhook config;
    private final boolean reportRoaming;
    private final MeterRegistry registry;
    private final String version;
    private final Vertx vertx;
    private final Timers timers;
    private volatile Optional<WebhookDispatcher> produced = Optional.empty();

    public WebhookDispatcherProducer(WgmonConfig config, MeterRegistry registry,
                                     @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
                                     String version, Vertx vertx, Timers timers) {
        this.config = config.webhook();
        this.reportRoaming = config.tracking().reportRoaming();
        this.registry = registry;
        this.version = version;
        this.vertx = vertx;
        this.timers = timers;
    }

    @Produces
    @Singleton
    RestClientWebhookSender sender() {
        WebhookTls tls = tls(config.tls());
        return new RestClientWebhookSender(config.connectTimeout(), config.requestTimeout(), "wgmon/" + version, tls);
    }

    void closeSender(@Disposes RestClientWebhookSender sender) {
        sender.close();
    }

    /** Created at start-up, so the receivers are logged when the application starts. */
    @Produces
    @Singleton
    @Startup
    WebhookDispatcher dispatcher(RestClientWebhookSender sender, Optional<StoreDatabase> store, MqttSinks mqtt,
                                 PeerExpectations expectations) {
        List<WebhookReceiver> receivers = ConfiguredReceivers.of(config);
        if (reportRoaming) {
            LOG.warn("wgmon.tracking.report-roaming=true is deprecated: it adds peer.roamed to every receiver's "
                    + "events; list peer.roamed in wgmon.webhook.events or wgmon.webhook.receivers.<name>.events instead");
            receivers = ConfiguredReceivers.withRoamed(receivers);
        }
        if (receivers.isEmpty() && !mqtt.configured()) {
            LOG.info("no wgmon.webhook.url configured: events are only logged");
        }
        for (WebhookReceiver receiver : receivers) {
            LOG.infof("webhook receiver %s: format %s, %s%s, events %s", receiver.label(),
                    receiver.chat().map(chat -> "preset " + chat.presetName()).orElse(receiver.format().name()),
                    receiver.standardSigner().isPresent() ? "signed (Standard Webhooks)"
                            : receiver.signer().isPresent() ? "signed" : "unsigned",
                    receiver.address().headers().isEmpty() ? "" : ", headers " + receiver.address().headers().keySet(),
                    receiver.events().stream().sorted().map(PeerEventType::wireName).collect(Collectors.joining(",")));
        }
        long spoolMaxBytes = config.spoolMaxSize().asLongValue();
        if (!receivers.isEmpty()) {
            LOG.info(store.map(s -> "webhook events are stored in " + s.dir().resolve(StoreDatabase.FILE) + " (at most "
                            + spoolMaxBytes + " bytes per receiver) and survive a restart")
                    .orElse("webhook events are queued in memory only (at most " + config.queueSize()
                            + " per receiver); set " + StoreFolder.KEY + " to keep them across restarts"));
        }
        DeliveryPolicy policy = new DeliveryPolicy(config.queueSize(),
                new Backoff(config.retryInitial(), config.retryMax(), new Random()), config.circuitThreshold(),
                config.maxAge(), spoolMaxBytes, timers);
        WebhookDispatcher dispatcher;
        try {
            dispatcher = new WebhookDispatcher(receivers, policy, store, ReceiverContexts.on(vertx), sender, registry);
        } catch (StoreException e) {
            throw new StartupFailure(StoreFolder.KEY + ": " + e.getMessage());
        }
        dispatcher.quietInChat(event -> event.type() == PeerEventType.DISCONNECTED && event.aboutPeer()
                && expectations.of(event.key()).roaming());
        try {
            mqtt.create(store).ifPresent(dispatcher::addSink);
        } catch (StoreException e) {
            dispatcher.close();
            throw new StartupFailure(StoreFolder.KEY + ": " + e.getMessage());
        }
        new DeliveryWarmUp(vertx, receivers, this::sender).start();
        produced = Optional.of(dispatcher);
        return dispatcher;
    }

    public static WebhookTls tls(WgmonConfig.Webhook.Tls tls) {
        if (tls.insecureSkipVerify()) {
            LOG.warn("wgmon.webhook.tls.insecure-skip-verify=true: receivers' certificates and host names are NOT "
                    + "checked; anyone on the path can read and forge webhooks. Use it for tests only.");
            return WebhookTls.insecure();
        }
        try {
            return tls.caFile().map(WebhookTls::withCaFile).orElseGet(WebhookTls::jvmTrustStore);
        } catch (IllegalArgumentException unusable) {
            throw new StartupFailure(unusable.getMessage()); // names the key and the file
        }
    }

    /**
     * Gives in-flight deliveries time to finish before stopping, after tracking's last commit and before the
     * store closes: up to one request timeout when events live only in memory, and at most
     * {@link #DURABLE_DRAIN} with a store, where what is pending is on disk already and goes out after the
     * next start, so SIGTERM ends wgmon within a second.
     */
    void closeDispatcher(@Observes @Priority(ShutdownOrder.DELIVERY) ShutdownEvent event) throws InterruptedException {
        Optional<WebhookDispatcher> dispatcher = produced;
        if (dispatcher.isEmpty()) {
            return;
        }
        Duration drain = dispatcher.get().durable() && config.requestTimeout().compareTo(DURABLE_DRAIN) > 0
                ? DURABLE_DRAIN : config.requestTimeout();
        dispatcher.get().awaitDrained(drain);
        dispatcher.get().close();
    }

}
