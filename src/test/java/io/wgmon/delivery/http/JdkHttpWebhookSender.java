package io.wgmon.delivery.http;

import io.smallrye.mutiny.Uni;
import io.wgmon.delivery.format.Payload;
import io.wgmon.delivery.format.WebhookSigner;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A {@link WebhookSender} on the JDK's HTTP client, for the child JVM of the restart test, which runs
 * without Quarkus (the REST client needs it). Sends the same headers as the real sender.
 */
public final class JdkHttpWebhookSender implements WebhookSender {
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(500))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Override
    public Uni<ReceiverReply> send(ReceiverAddress receiver, Payload payload, DeliveryHeaders headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(receiver.url())
                .timeout(Duration.ofSeconds(10)) // a cold child JVM on a loaded machine: a timeout would resend
                .header("Content-Type", payload.contentType())
                .header(DeliveryHeaders.EVENT, headers.event())
                .header(DeliveryHeaders.DELIVERY, headers.deliveryId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload.body()));
        if (headers.signature() != null) {
            request.header(WebhookSigner.HEADER, headers.signature());
        }
        receiver.headers().forEach(request::header);
        return Uni.createFrom().completionStage(() -> client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()))
                .map(response -> new ReceiverReply(response.statusCode(),
                        response.headers().firstValue("Retry-After").orElse(null)));
    }

    @Override
    public void close() {
    }
}
