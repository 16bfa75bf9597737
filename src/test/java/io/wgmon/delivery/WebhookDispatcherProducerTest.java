package io.wgmon.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.delivery.TestReceiver.Reply;
import io.wgmon.delivery.format.FormPayloadFormat;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.http.DeliveryHeaders;
import io.wgmon.delivery.http.ReceiverAddress;
import io.wgmon.delivery.http.ReceiverReply;
import io.wgmon.delivery.http.RestClientWebhookSender;
import io.wgmon.store.PeerStateChanges;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The beans built from the test configuration, which sets no webhook URL. */
@QuarkusTest
class WebhookDispatcherProducerTest {

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    RestClientWebhookSender sender;

    @Test
    void withoutUrlEventsAreOnlyLogged() {
        assertDoesNotThrow(() -> dispatcher.commit(List.of(TestEvents.connected()), PeerStateChanges.NONE));
        assertEquals(0, dispatcher.pending());
    }

    @Test
    void senderIdentifiesItselfWithTheApplicationVersion() throws Exception {
        String version = ConfigProvider.getConfig().getValue("quarkus.application.version", String.class);
        try (TestReceiver receiver = TestReceiver.start(request -> Reply.of(202))) {
            ReceiverReply reply = sender.send(new ReceiverAddress(receiver.uri("/ua"), Map.of()), new JsonPayloadFormat().render(TestEvents.connected()),
                            new DeliveryHeaders("peer.connected", "id-1", null))
                    .await().atMost(Duration.ofSeconds(10));
            assertEquals(202, reply.status());
            assertEquals("wgmon/" + version, receiver.requests().get(0).header("User-Agent"));
        }
    }

    @Test
    void senderReportsErrorStatusesAsReplies() throws Exception {
        try (TestReceiver receiver = TestReceiver.start(request ->
                new Reply(429, Map.of("Retry-After", "7"), 0))) {
            ReceiverReply reply = sender.send(new ReceiverAddress(receiver.uri("/busy"), Map.of()), new FormPayloadFormat().render(TestEvents.connected()),
                            new DeliveryHeaders("peer.connected", "id-2", null))
                    .await().atMost(Duration.ofSeconds(10));
            assertEquals(new ReceiverReply(429, "7"), reply);
        }
    }

}
