package io.wgmon.delivery.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.config.TestWgmonConfig;
import io.wgmon.delivery.Await;
import io.wgmon.delivery.ConfiguredReceivers;
import io.wgmon.delivery.DispatcherFixture;
import io.wgmon.delivery.LogCapture;
import io.wgmon.delivery.TestEvents;
import io.wgmon.delivery.TestReceiver.Reply;
import io.wgmon.delivery.TestReceiver.Request;
import io.wgmon.delivery.TestReceiver;
import io.wgmon.delivery.WebhookDispatcher;
import io.wgmon.delivery.WebhookReceiver;
import io.wgmon.delivery.queue.DeliveryPolicy;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.store.StoreDatabase;
import io.wgmon.tracking.DisconnectReason;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.tracking.PeerKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each preset family through the real REST-client sender to a real HTTP server standing in for the
 * service: method, path, headers and body as the service documents them; a burst becomes one message
 * while a json receiver gets every event; 410 Gone disables a receiver.
 */
@QuarkusTest
class ChatPresetsLiveTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DispatcherFixture fixture = new DispatcherFixture();

    @AfterEach
    void closeAll() throws Exception {
        fixture.close();
    }

    static PeerEvent connectedNow(String key, String name) {
        return new PeerEvent(UUID.randomUUID(), PeerEventType.CONNECTED, Instant.now(), "node-1", new PeerKey("wg0", key),
                TestEvents.peer(key, TestEvents.endpoint("198.51.100.7", 51820), TestEvents.HANDSHAKE, 180), name,
                null, null, null, null);
    }

    static PeerEvent disconnectedNow(String key, String name, Duration connectedFor) {
        return new PeerEvent(UUID.randomUUID(), PeerEventType.DISCONNECTED, Instant.now(), "node-1",
                new PeerKey("wg0", key), TestEvents.peer(key, TestEvents.endpoint("198.51.100.7", 51820),
                TestEvents.HANDSHAKE, 180), name, DisconnectReason.IDLE, connectedFor, null, null);
    }

    private WebhookDispatcher dispatcher(Map<String, String> config) {
        return fixture.dispatcher(ConfiguredReceivers.of(TestWgmonConfig.of(config).webhook()),
                DispatcherFixture.policy(Optional.empty(), Duration.ofSeconds(5), Duration.ofDays(1),
                        DispatcherFixture.realTime()));
    }

    private Request sendOne(String preset, String path, Map<String, String> more) throws Exception {
        TestReceiver service = fixture.receiver(request -> Reply.of(200));
        Map<String, String> config = new HashMap<>(more);
        config.put("wgmon.webhook.receivers.chat.url", service.uri(path).toString());
        config.put("wgmon.webhook.receivers.chat.preset", preset);
        WebhookDispatcher dispatcher = dispatcher(config);
        dispatcher.commit(List.of(connectedNow(TestEvents.KEY, "alice-laptop")), PeerStateChanges.NONE);
        Await.until(preset + " request", WAIT, () -> service.requests().size() == 1);
        return service.requests().get(0);
    }

    private static JsonNode json(Request request) throws Exception {
        assertTrue(request.header("Content-Type").startsWith("application/json"), request.header("Content-Type"));
        return JSON.readTree(request.body());
    }

    private static final String LINE = "alice-laptop (wg0) connected from 198.51.100.7";

    @Test
    void slackMattermostAndGoogleChatGetATextMessage() throws Exception {
        // api.slack.com/messaging/webhooks: POST the webhook URL, {"text": ...}
        Request slack = sendOne("slack", "/services/T000/B000/XXXX", Map.of());
        assertEquals("POST", slack.method());
        assertEquals("/services/T000/B000/XXXX", slack.path());
        assertEquals(LINE, json(slack).get("text").asText());
        // Mattermost incoming webhooks: POST /hooks/<id>, {"text": ...}
        Request mattermost = sendOne("mattermost", "/hooks/xxx-generatedkey-xxx", Map.of());
        assertEquals("/hooks/xxx-generatedkey-xxx", mattermost.path());
        assertEquals(LINE, json(mattermost).get("text").asText());
        // Google Chat: POST /v1/spaces/<space>/messages?key=..&token=.., {"text": ...}
        Request chat = sendOne("google-chat", "/v1/spaces/AAAA/messages?key=k&token=t", Map.of());
        assertEquals("/v1/spaces/AAAA/messages", chat.path());
        assertEquals("key=k&token=t", chat.rawQuery());
        assertEquals(LINE, json(chat).get("text").asText());
    }

    @Test
    void discordGetsAnEmbedAndTeamsAnAdaptiveCard() throws Exception {
        // discord.com/developers/docs/resources/webhook#execute-webhook: embeds[] with title, description...
        Request discord = sendOne("discord", "/api/webhooks/1/t0ken", Map.of());
        assertEquals("POST", discord.method());
        JsonNode embed = json(discord).get("embeds").get(0);
        assertEquals("alice-laptop connected", embed.get("title").asText());
        assertEquals(LINE, embed.get("description").asText());
        assertTrue(embed.get("color").isInt());
        Instant.parse(embed.get("timestamp").asText());
        // Teams Workflows: {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",...}]}
        Request teams = sendOne("teams", "/workflows/abc/triggers/manual/paths/invoke?api-version=1", Map.of());
        JsonNode attachment = json(teams).get("attachments").get(0);
        assertEquals("message", json(teams).get("type").asText());
        assertEquals("application/vnd.microsoft.card.adaptive", attachment.get("contentType").asText());
        JsonNode card = attachment.get("content");
        assertEquals("AdaptiveCard", card.get("type").asText());
        assertEquals(LINE, card.get("body").get(1).get("text").asText());
    }

    @Test
    void telegramGotifyAndHomeAssistantGetTheirJson() throws Exception {
        // core.telegram.org/bots/api#sendmessage: POST /bot<token>/sendMessage {"chat_id", "text"}
        Request telegram = sendOne("telegram", "/bot123:ABC/sendMessage", Map.of(
                "wgmon.webhook.receivers.chat.chat-id", "-1001234567890"));
        assertEquals("/bot123:ABC/sendMessage", telegram.path());
        assertEquals("-1001234567890", json(telegram).get("chat_id").asText());
        assertEquals(LINE, json(telegram).get("text").asText());
        // gotify.net/api-docs: POST /message?token=<app token> {"title","message","priority"}
        Request gotify = sendOne("gotify", "/message?token=AbCdEf", Map.of());
        assertEquals("/message", gotify.path());
        assertEquals("token=AbCdEf", gotify.rawQuery());
        assertEquals("alice-laptop connected", json(gotify).get("title").asText());
        assertEquals(LINE, json(gotify).get("message").asText());
        assertEquals(5, json(gotify).get("priority").asInt());
        // home-assistant.io webhook trigger: POST /api/webhook/<webhook_id>, JSON
        Request home = sendOne("home-assistant", "/api/webhook/wgmon-peers", Map.of());
        assertEquals("/api/webhook/wgmon-peers", home.path());
        assertEquals("peer.connected", json(home).get("event").asText());
        assertEquals("alice-laptop", json(home).get("name").asText());
        assertEquals("198.51.100.7:51820", json(home).get("endpoint").asText());
    }

    @Test
    void ntfyGetsTheTextWithTitleTagsAndPriorityHeaders() throws Exception {
        // docs.ntfy.sh/publish: POST /<topic>, the body is the message; X-Title, X-Tags, X-Priority
        Request ntfy = sendOne("ntfy", "/wgmon-alerts", Map.of());
        assertEquals("POST", ntfy.method());
        assertEquals("/wgmon-alerts", ntfy.path());
        assertEquals(LINE, new String(ntfy.body(), StandardCharsets.UTF_8));
        assertEquals("alice-laptop connected", ntfy.header("X-Title"));
        assertEquals("green_circle", ntfy.header("X-Tags"));
        assertEquals("3", ntfy.header("X-Priority"));
        assertNull(ntfy.header("X-Wgmon-Internal-Headers"), "no internal carrier header leaves");
    }

    @Test
    void matrixGetsAPutOfAnMRoomMessageWithATransactionId() throws Exception {
        // spec.matrix.org/latest/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid
        Request matrix = sendOne("matrix", "/_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message",
                Map.of("wgmon.webhook.receivers.chat.headers.Authorization", "Bearer syt_token"));
        assertEquals("PUT", matrix.method());
        assertTrue(matrix.path().startsWith("/_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message/wgmon-"),
                matrix.path());
        assertEquals("Bearer syt_token", matrix.header("Authorization"));
        assertEquals("m.text", json(matrix).get("msgtype").asText());
        assertEquals(LINE, json(matrix).get("body").asText());
    }

    @Test
    void aBurstOf300DisconnectsIsOneChatMessageAnd300JsonEvents() throws Exception {
        TestReceiver service = fixture.receiver(request -> Reply.of(200));
        WebhookDispatcher dispatcher = dispatcher(Map.of(
                "wgmon.webhook.receivers.chat.url", service.uri("/slack").toString(),
                "wgmon.webhook.receivers.chat.preset", "slack",
                "wgmon.webhook.receivers.api.url", service.uri("/json").toString()));
        for (int i = 0; i < 300; i++) {
            dispatcher.commit(List.of(disconnectedNow(TestEvents.key(i), "peer-" + i, Duration.ofMinutes(133))), PeerStateChanges.NONE);
        }
        Await.until("300 json events", WAIT, () -> requestsTo(service, "/json").size() == 300);
        Await.until("everything delivered", WAIT, () -> dispatcher.pending() == 0);
        assertEquals(300, fixture.count("delivered", "chat"));
        List<Request> chat = afterAMarker(dispatcher, service, 0).stream()
                .filter(request -> request.path().equals("/slack")).toList();
        assertEquals(1, chat.size(), "one summary");
        String text = json(chat.get(0)).get("text").asText();
        assertTrue(text.startsWith("300 peers disconnected on node-1\npeer-0 (wg0) disconnected after 2 h 13 min: idle\n"),
                text);
        assertTrue(text.endsWith("… and 290 more"), text);
        System.out.println("burst of 300 disconnects: " + chat.size() + " chat message, "
                + requestsTo(service, "/json").size() + " json events");
    }

    /**
     * The requests from {@code from} on that came before a marker event submitted now: the chat
     * receiver sends in order, so anything it still had to send leaves before the marker's message,
     * which must be the marker alone.
     */
    private static List<Request> afterAMarker(WebhookDispatcher dispatcher, TestReceiver service, int from) throws Exception {
        dispatcher.commit(List.of(connectedNow(TestEvents.key(999), "the-marker")), PeerStateChanges.NONE);
        Await.until("the marker's message", WAIT, () -> service.requests().stream().anyMatch(ChatPresetsLiveTest::isMarker));
        List<Request> all = service.requests();
        int marker = all.size() - 1;
        while (!isMarker(all.get(marker))) {
            marker--;
        }
        String markerText = json(all.get(marker)).get("text").asText();
        assertTrue(markerText.startsWith("the-marker (wg0) connected") && !markerText.contains("peer-"),
                "the marker's message carries the marker alone: " + markerText);
        return all.subList(from, marker);
    }

    private static boolean isMarker(Request request) {
        return request.path().equals("/slack")
                && new String(request.body(), java.nio.charset.StandardCharsets.UTF_8).contains("the-marker");
    }

    @Test
    void aBurstKeptInTheStoreAcrossARestartIsStillOneSummary() throws Exception {
        java.nio.file.Path spool = java.nio.file.Files.createTempDirectory("wgmon-chat-spool-");
        try {
            TestReceiver service = fixture.receiver(request -> Reply.of(503));
            Map<String, String> config = Map.of(
                    "wgmon.webhook.receivers.chat.url", service.uri("/slack").toString(),
                    "wgmon.webhook.receivers.chat.preset", "slack");
            DeliveryPolicy policy = DispatcherFixture.policy(DispatcherFixture.spool(spool, 16 << 20),
                    Duration.ofSeconds(5), Duration.ofDays(1), DispatcherFixture.realTime()).policy();
            Optional<StoreDatabase> store = Optional.of(fixture.store(spool));
            List<WebhookReceiver> receivers = ConfiguredReceivers.of(TestWgmonConfig.of(config).webhook());
            WebhookDispatcher first = new WebhookDispatcher(receivers, policy, store, DispatcherFixture.contexts(),
                    fixture.sender(), fixture.registry);
            try {
                for (int i = 0; i < 300; i++) {
                    first.commit(List.of(disconnectedNow(TestEvents.key(i), "peer-" + i, Duration.ofMinutes(5))), PeerStateChanges.NONE);
                }
                Await.until("a failed attempt", WAIT, () -> !service.requests().isEmpty());
            } finally {
                first.close();
            }
            assertEquals(300, json(service.requests().get(0)).get("text").asText().lines().findFirst()
                    .map(line -> Integer.parseInt(line.split(" ")[0])).orElseThrow());

            service.respondWith(request -> Reply.of(200));
            int before = service.requests().size();
            WebhookDispatcher second = fixture.closeLater(new WebhookDispatcher(
                    ConfiguredReceivers.of(TestWgmonConfig.of(config).webhook()), policy, store, DispatcherFixture.contexts(),
                    fixture.sender(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
            Await.until("the stored burst delivered", WAIT, () -> second.pending() == 0
                    && service.requests().stream().anyMatch(r -> r.headers().containsKey("X-Wgmon-Delivery")
                    && service.requests().indexOf(r) >= before && r.path().equals("/slack")));
            List<Request> after = afterAMarker(second, service, before).stream()
                    .filter(request -> request.path().equals("/slack")).toList();
            assertEquals(1, after.size(), "one summary after the restart");
            assertTrue(json(after.get(0)).get("text").asText().startsWith("300 peers disconnected on node-1"));
        } finally {
            try (var files = java.nio.file.Files.walk(spool)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    @Test
    void goneDisablesTheReceiverWithAnErrorAndAMetric() throws Exception {
        TestReceiver service = fixture.receiver(request -> Reply.of(410));
        try (LogCapture log = LogCapture.warningsOf("io.wgmon.delivery.queue.Gone")) {
            WebhookDispatcher dispatcher = dispatcher(Map.of(
                    "wgmon.webhook.receivers.chat.url", service.uri("/slack").toString(),
                    "wgmon.webhook.receivers.chat.preset", "slack",
                    "wgmon.webhook.receivers.api.url", service.uri("/json").toString()));
            dispatcher.commit(List.of(connectedNow(TestEvents.KEY, "alice-laptop")), PeerStateChanges.NONE);
            Await.until("both disabled", WAIT, () -> fixture.gauge("disabled", "chat") == 1
                    && fixture.gauge("disabled", "api") == 1);
            dispatcher.commit(List.of(connectedNow(TestEvents.key(1), "bob")), PeerStateChanges.NONE);
            Thread.sleep(ChatQueue.GATHER.toMillis() + 500);
            assertEquals(1, requestsTo(service, "/slack").size(), "nothing more after 410");
            assertEquals(1, requestsTo(service, "/json").size(), "nothing more after 410");
            assertEquals(0, dispatcher.pending());
            assertTrue(log.warnings().stream().anyMatch(line -> line.startsWith("chat (http://127.0.0.1:")
                    && line.contains("answered 410 Gone")), log.warnings().toString());
            assertFalse(fixture.count("failed", "chat") < 2, "the dropped events are counted");
        }
    }

    @Test
    void noTwoMessagesLeaveWithinThePresetsInterval() throws Exception {
        TestReceiver service = fixture.receiver(request -> Reply.of(200));
        WebhookDispatcher dispatcher = dispatcher(Map.of(
                "wgmon.webhook.receivers.chat.url", service.uri("/bot1:A/sendMessage").toString(),
                "wgmon.webhook.receivers.chat.preset", "telegram",
                "wgmon.webhook.receivers.chat.chat-id", "42"));
        dispatcher.commit(List.of(connectedNow(TestEvents.KEY, "alice-laptop")), PeerStateChanges.NONE);
        Await.until("the first message", WAIT, () -> service.requests().size() == 1);
        dispatcher.commit(List.of(connectedNow(TestEvents.key(1), "bob-phone")), PeerStateChanges.NONE);
        dispatcher.commit(List.of(connectedNow(TestEvents.key(2), "carol-tablet")), PeerStateChanges.NONE);
        Await.until("the second message", WAIT, () -> service.requests().size() == 2);
        long gap = service.requests().get(1).receivedNanos() - service.requests().get(0).receivedNanos();
        System.out.printf("telegram preset: second message %d ms after the first (interval %d ms)%n",
                gap / 1_000_000, ChatPresets.of(io.wgmon.config.WgmonConfig.ChatPreset.TELEGRAM).interval().toMillis());
        assertTrue(gap >= 2_900_000_000L, "gap " + gap / 1_000_000 + " ms");
        assertTrue(json(service.requests().get(1)).get("text").asText().startsWith("2 peers connected on node-1"));
    }

    @Test
    void anEventOlderThanMaxAgeIsDroppedAndCounted() throws Exception {
        TestReceiver service = fixture.receiver(request -> Reply.of(200));
        WebhookDispatcher dispatcher = dispatcher(Map.of(
                "wgmon.webhook.receivers.chat.url", service.uri("/slack").toString(),
                "wgmon.webhook.receivers.chat.preset", "slack"));
        dispatcher.commit(List.of(TestEvents.connected()), PeerStateChanges.NONE); // happened days ago; max-age is a day
        dispatcher.commit(List.of(connectedNow(TestEvents.key(1), "bob-phone")), PeerStateChanges.NONE);
        Await.until("the fresh one delivered", WAIT, () -> dispatcher.pending() == 0);
        assertEquals(1, fixture.count("expired", "chat"));
        assertEquals(1, service.requests().size());
        assertEquals("bob-phone (wg0) connected from 198.51.100.7", json(service.requests().get(0)).get("text").asText());
    }

    @Test
    void aChatReceiverWaitsOutRetryAfter() throws Exception {
        TestReceiver service = fixture.receiver(request -> Reply.of(200));
        service.respondWith(request -> service.requests().size() == 1
                ? new Reply(429, Map.of("Retry-After", "1"), 0) : Reply.of(200));
        WebhookDispatcher dispatcher = dispatcher(Map.of(
                "wgmon.webhook.receivers.chat.url", service.uri("/slack").toString(),
                "wgmon.webhook.receivers.chat.preset", "slack"));
        dispatcher.commit(List.of(connectedNow(TestEvents.KEY, "alice-laptop")), PeerStateChanges.NONE);
        Await.until("the retry", WAIT, () -> service.requests().size() == 2);
        long waited = service.requests().get(1).receivedNanos() - service.requests().get(0).receivedNanos();
        System.out.printf("429 Retry-After: 1 -> the retry came %d ms later%n", waited / 1_000_000);
        assertTrue(waited >= 950_000_000L, "waited " + waited / 1_000_000 + " ms");
        assertEquals(json(service.requests().get(0)).get("text"), json(service.requests().get(1)).get("text"));
    }

    static List<Request> requestsTo(TestReceiver receiver, String path) {
        return receiver.requests().stream().filter(request -> request.path().equals(path)).toList();
    }
}
