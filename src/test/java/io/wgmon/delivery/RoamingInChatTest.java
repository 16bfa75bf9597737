package io.wgmon.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.config.TestWgmonConfig;
import io.wgmon.delivery.TestReceiver.Reply;
import io.wgmon.delivery.TestReceiver.Request;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A roaming peer's disconnect reaches a webhook but not a chat, against real HTTP servers. */
@QuarkusTest
class RoamingInChatTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PHONE = TestEvents.key(1);
    private static final String SERVER = TestEvents.key(2);

    private final DispatcherFixture fixture = new DispatcherFixture();

    @AfterEach
    void closeAll() throws Exception {
        fixture.close();
    }

    @Test
    void aRoamingPeersDisconnectIsKeptFromChatReceiversOnly() throws Exception {
        TestReceiver service = fixture.receiver(request -> Reply.of(200));
        WebhookDispatcher dispatcher = fixture.dispatcher(ConfiguredReceivers.of(TestWgmonConfig.of(Map.of(
                        "wgmon.webhook.receivers.chat.url", service.uri("/slack").toString(),
                        "wgmon.webhook.receivers.chat.preset", "slack",
                        "wgmon.webhook.receivers.hook.url", service.uri("/hook").toString())).webhook()),
                DispatcherFixture.policy(Optional.empty(), Duration.ofSeconds(5), Duration.ofDays(1),
                        DispatcherFixture.realTime()));
        dispatcher.quietInChat(event -> event.type() == PeerEventType.DISCONNECTED && event.publicKey().equals(PHONE));
        PeerEvent phone = TestEvents.disconnectedNow(PHONE, Instant.now());
        dispatcher.commit(List.of(phone), PeerStateChanges.NONE);
        dispatcher.commit(List.of(TestEvents.disconnectedNow(SERVER, Instant.now())), PeerStateChanges.NONE);
        Await.until("both at the webhook, one in the chat", WAIT, () -> requests(service, "/hook").size() == 2
                && !requests(service, "/slack").isEmpty());
        Thread.sleep(1500); // past the chat's interval: a message of the phone's would be out by now
        assertEquals(2, requests(service, "/hook").size());
        List<String> chat = requests(service, "/slack").stream().map(RoamingInChatTest::body).toList();
        assertEquals(1, chat.stream().mapToLong(text -> text.split(" disconnected after ", -1).length - 1).sum(),
                "only the server's disconnect is in the chat: " + chat);
    }

    private static List<Request> requests(TestReceiver service, String path) {
        return service.requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    private static String body(Request request) {
        return new String(request.body(), StandardCharsets.UTF_8);
    }
}
