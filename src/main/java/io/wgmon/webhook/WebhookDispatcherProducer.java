package io.wgmon.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.wgmon.config.WgmonConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.List;
import java.util.Random;

/** Builds the {@link WebhookDispatcher} and its REST-client sender from {@code wgmon.webhook.*}. */
@ApplicationScoped
public class WebhookDispatcherProducer {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcherProducer.class);

    private final WgmonConfig.Webhook config;
    private final MeterRegistry registry;
    private final String version;

    public WebhookDispatcherProducer(WgmonConfig config, MeterRegistry registry,
                                     @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
                                     String version) {
        this.config = config.webhook();
        this.registry = registry;
        this.version = version;
    }

    @Produces
    @Singleton
    RestClientWebhookSender sender() {
        return new RestClientWebhookSender(config.connectTimeout(), config.requestTimeout(), "wgmon/" + version);
    }

    void closeSender(@Disposes RestClientWebhookSender sender) {
        sender.close();
    }

    /** Created at start-up, so the receivers are logged when the application starts. */
    @Produces
    @Singleton
    @Startup
    WebhookDispatcher dispatcher(RestClientWebhookSender sender) {
        List<URI> urls = config.url().orElse(List.of());
        if (urls.isEmpty()) {
            LOG.info("no wgmon.webhook.url configured: events are only logged");
        } else {
            LOG.infof("webhook receivers: %s (format %s, %s)",
                    urls.stream().map(Receivers::label).toList(), config.format(),
                    config.secret().isPresent() ? "signed" : "unsigned");
        }
        return new WebhookDispatcher(urls, config.queueSize(),
                new Backoff(config.retryInitial(), config.retryMax(), new Random()),
                PayloadFormat.of(config.format()),
                config.secret().map(WebhookSigner::new),
                sender, registry);
    }

    /** Gives in-flight deliveries up to one request timeout to finish before stopping. */
    void closeDispatcher(@Disposes WebhookDispatcher dispatcher) throws InterruptedException {
        dispatcher.awaitDrained(config.requestTimeout());
        dispatcher.close();
    }

}
