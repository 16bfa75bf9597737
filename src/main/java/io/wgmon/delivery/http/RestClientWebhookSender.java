package io.wgmon.delivery.http;

import io.smallrye.mutiny.Uni;
import io.wgmon.delivery.format.Payload;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.impl.ClientBuilderImpl;
import org.jboss.resteasy.reactive.client.impl.ClientImpl;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link WebhookSender} on the reactive Quarkus REST client, one client per receiver
 * (docs/architecture.md#delivery). The client is built with the REST client's JAX-RS {@code ClientBuilder}
 * (TLS, connect timeout, no redirects: a POST must not silently turn into a GET), and each exchange runs on
 * the Vert.x HTTP client underneath it ({@link ClientImpl#getVertxHttpClient}), through {@link ReplyReader}.
 * Not through the REST client's invokers, because none of them can bound a reply: a {@code Response}
 * (UniInvoker, CompletionStage) is completed only after the whole body was aggregated in memory; the
 * streaming MultiInvoker neither exposes the status nor Retry-After, turns every non-2xx into an exception
 * and leaves that reply paused on its connection; and a reply declaring {@code multipart/form-data} is decoded
 * whole whatever the invoker.
 */
public final class RestClientWebhookSender implements WebhookSender {
    private static final Logger LOG = Logger.getLogger(RestClientWebhookSender.class);

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final String userAgent;
    private final WebhookTls tls;
    private final ConcurrentMap<ReceiverAddress, ClientImpl> clients = new ConcurrentHashMap<>();

    public RestClientWebhookSender(Duration connectTimeout, Duration requestTimeout, String userAgent, WebhookTls tls) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
        this.tls = tls;
    }

    @Override
    public Uni<ReceiverReply> send(ReceiverAddress receiver, Payload payload, DeliveryHeaders headers) {
        ReceiverRequest request = ReceiverRequest.of(receiver, payload, headers, userAgent);
        return Uni.createFrom().deferred(() -> new ReplyReader(client(receiver).getVertxHttpClient(), requestTimeout)
                .exchange(request));
    }

    @Override
    public void prepare(ReceiverAddress receiver) {
        client(receiver);
    }

    private ClientImpl client(ReceiverAddress receiver) {
        return clients.computeIfAbsent(receiver, this::build);
    }

    private ClientImpl build(ReceiverAddress receiver) {
        ClientBuilderImpl builder = new ClientBuilderImpl();
        builder.followRedirects(false);
        builder.connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        builder.clientOptionsCustomizer(new ReceiverHttpOptions());
        tls.apply(builder);
        return builder.build();
    }

    @Override
    public void close() {
        clients.forEach((receiver, client) -> {
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.debugf("closing the client for %s: %s", receiver, e.getClass().getSimpleName());
            }
        });
        clients.clear();
    }
}
