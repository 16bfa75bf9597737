package io.wgmon.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.config.WgmonConfig;
import io.wgmon.delivery.TestReceiver.Reply;
import io.wgmon.delivery.TestReceiver.Request;
import io.wgmon.delivery.format.WebhookSignerTest;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.tracking.PeerEvent;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application's own dispatcher, built by Quarkus from {@code wgmon.webhook.url} plus named
 * {@code wgmon.webhook.receivers.<name>.*} with their own format, secret and headers, and a spool directory.
 */
@QuarkusTest
@WithTestResource(ConfiguredReceiversResource.class)
class ConfiguredDispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    WgmonConfig config;

    @Test
    void everyConfiguredReceiverGetsTheEventAsConfigured() throws Exception {
        URI api = URI.create(config.webhook().receivers().get("api").url());
        PeerEvent event = TestEvents.connectedNow(TestEvents.KEY, Instant.now());
        try (TestReceiver receiver = TestReceiver.start(api.getPort(), request -> Reply.of(200))) {
            dispatcher.commit(List.of(event), PeerStateChanges.NONE);
            Await.until("three deliveries", WAIT, () -> receiver.requests().size() == 3);

            Request list = only(receiver, "/list");
            assertEquals("application/json", list.header("Content-Type"));
            assertEquals("sha256=" + WebhookSignerTest.hmac("default-secret", list.body()),
                    list.header("X-Wgmon-Signature-256"));

            Request discord = only(receiver, "/discord");
            assertEquals("content=Connection+wg0%3A" + TestEvents.KEY.replace("+", "%2B").replace("=", "%3D")
                    + "+on+endpoint+192.0.2.2%3A40000+is+opened", new String(discord.body(), StandardCharsets.US_ASCII));
            assertEquals("sha256=" + WebhookSignerTest.hmac("default-secret", discord.body()),
                    discord.header("X-Wgmon-Signature-256"), "the default secret");

            Request cloudEvent = only(receiver, "/api");
            assertEquals("application/cloudevents+json", cloudEvent.header("Content-Type"));
            assertEquals("Bearer t0ken", cloudEvent.header("Authorization"));
            assertEquals("sha256=" + WebhookSignerTest.hmac("api-secret", cloudEvent.body()),
                    cloudEvent.header("X-Wgmon-Signature-256"));
            assertEquals(event.id().toString(), new ObjectMapper().readTree(cloudEvent.body()).get("id").textValue());
            assertEquals(null, list.header("Authorization"));
        }

        Path spoolDir = config.store().dir().orElseThrow();
        Set<String> names = Set.copyOf(StoreInspector.receivers(spoolDir));
        assertEquals(3, names.size(), names.toString());
        assertTrue(names.containsAll(List.of("receiver-api", "receiver-discord")), names.toString());
        assertTrue(names.stream().anyMatch(name -> name.matches("url-[0-9a-f]{16}")), names.toString());
    }

    private static Request only(TestReceiver receiver, String path) {
        List<Request> requests = receiver.requests().stream().filter(r -> r.path().equals(path)).toList();
        assertEquals(1, requests.size(), path);
        return requests.get(0);
    }
}
