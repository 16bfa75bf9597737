package io.wgmon.webhook;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link WebhookSender} on the reactive Quarkus REST client, one client per receiver. Needs the
 * Quarkus runtime. The default exception mapper is off, so 4xx/5xx come back as {@link ReceiverReply}s;
 * redirects are not followed (a POST must not silently turn into a GET).
 */
public final class RestClientWebhookSender implements WebhookSender {
    private static final Logger LOG = Logger.getLogger(RestClientWebhookSender.class);

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final String userAgent;
    private final WebhookTls tls;
    private final ConcurrentMap<ReceiverAddress, WebhookEndpoint> clients = new ConcurrentHashMap<>();

    public RestClientWebhookSender(Duration connectTimeout, Duration requestTimeout, String userAgent) {
        this(connectTimeout, requestTimeout, userAgent, WebhookTls.jvmTrustStore());
    }

    public RestClientWebhookSender(Duration connectTimeout, Duration requestTimeout, String userAgent, WebhookTls tls) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
        this.tls = tls;
    }

    @Override
    public Uni<ReceiverReply> send(ReceiverAddress receiver, Payload payload, DeliveryHeaders headers) {
        String extra = PerRequestHeaders.encode(headers.extra());
        return Uni.createFrom().deferred(() -> {
                    WebhookEndpoint client = clients.computeIfAbsent(receiver, this::build);
                    return headers.transaction() == null
                            ? client.post(payload.contentType(), headers.event(), headers.deliveryId(),
                                    headers.signature(), extra, payload.body())
                            : client.put(headers.transaction(), payload.contentType(), headers.event(),
                                    headers.deliveryId(), headers.signature(), extra, payload.body());
                })
                .map(RestClientWebhookSender::reply);
    }

    @Override
    public void prepare(ReceiverAddress receiver) {
        clients.computeIfAbsent(receiver, this::build);
    }

    private static ReceiverReply reply(Response response) {
        try (response) {
            return new ReceiverReply(response.getStatus(), response.getHeaderString("Retry-After"));
        }
    }

    private WebhookEndpoint build(ReceiverAddress receiver) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(receiver.url())
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .disableDefaultMapper(true)
                .userAgent(userAgent)
                .register(new ReceiverHttpOptions());
        tls.apply(builder);
        builder.register(new PerRequestHeaders());
        if (!receiver.headers().isEmpty()) {
            builder.register(new ExtraHeadersFilter(receiver.headers()));
        }
        return builder.build(WebhookEndpoint.class);
    }

    @Override
    public void close() {
        clients.forEach((receiver, client) -> {
            try {
                client.close();
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing the client for %s: %s", receiver, e);
            }
        });
        clients.clear();
    }
}
