package io.wgmon.delivery.http;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.wgmon.delivery.DispatcherFixture;
import io.wgmon.delivery.TestReceiver;
import io.wgmon.delivery.WebhookReceiver;
import io.wgmon.delivery.format.FormPayloadFormat;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.format.Payload;
import io.wgmon.delivery.format.WebhookSigner;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up warm-up with the real REST client: it posts only to its own loopback server, never to a receiver. */
@QuarkusTest
class DeliveryWarmUpTest {

    /** The real sender, with what it was asked to send and what came back written down. */
    private static final class Observed implements WebhookSender {
        final RestClientWebhookSender real = new RestClientWebhookSender(Duration.ofMillis(500), Duration.ofSeconds(5),
                "wgmon/test", WebhookTls.jvmTrustStore());
        final List<String> sent = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public Uni<ReceiverReply> send(ReceiverAddress receiver, Payload payload, DeliveryHeaders headers) {
            return real.send(receiver, payload, headers).invoke(reply -> sent.add(receiver.url().getHost() + " "
                    + receiver.url().getPath() + " " + receiver.headers() + " " + headers.event() + " "
                    + (headers.signature() != null) + " " + reply.status()));
        }

        @Override
        public void close() {
            real.close();
            closed.set(true);
        }
    }

    @Test
    void everyReceiversFormatAndSignerRunAgainstALoopbackServerAndNothingReachesTheReceivers() throws Exception {
        try (TestReceiver receiver = TestReceiver.start(request -> TestReceiver.Reply.of(204))) {
            List<WebhookReceiver> receivers = List.of(
                    WebhookReceiver.named("json", receiver.uri("/json"), Map.of("Authorization", "Bearer t"),
                            new JsonPayloadFormat(), Optional.of(new WebhookSigner("s3cret"))),
                    WebhookReceiver.ofUrl(receiver.uri("/form"), "form", Map.of(), new FormPayloadFormat(),
                            Optional.empty()));
            Observed sender = new Observed();

            new DeliveryWarmUp(DispatcherFixture.vertx(), receivers, () -> sender).start()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertEquals(List.of(), receiver.requests(), "the warm-up must not send to a receiver");
            assertEquals(DeliveryWarmUp.ROUNDS * receivers.size(), sender.sent.size(), sender.sent.toString());
            assertEquals(List.of(
                    "127.0.0.1 /warm-up {Authorization=Bearer t} peer.connected true 204",
                    "127.0.0.1 /warm-up {} peer.connected false 204",
                    "127.0.0.1 /warm-up {Authorization=Bearer t} peer.disconnected true 204",
                    "127.0.0.1 /warm-up {} peer.disconnected false 204"), sender.sent.subList(0, 4));
            assertTrue(sender.closed.get(), "the throwaway sender is closed");
        }
    }

    @Test
    void withoutReceiversThereIsNothingToWarm() throws Exception {
        Observed sender = new Observed();
        new DeliveryWarmUp(DispatcherFixture.vertx(), List.of(), () -> sender).start()
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), sender.sent);
        sender.close();
    }
}
