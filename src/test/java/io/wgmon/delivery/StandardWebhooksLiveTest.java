package io.wgmon.delivery;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.config.ConfigCheck;
import io.wgmon.config.TestWgmonConfig;
import io.wgmon.delivery.TestReceiver.Reply;
import io.wgmon.delivery.TestReceiver.Request;
import io.wgmon.delivery.format.StandardWebhooksSigner;
import io.wgmon.store.PeerStateChanges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * signature=standard, checked by the official Standard Webhooks library (com.standardwebhooks 1.2.0): what
 * wgmon sends verifies, a changed body does not, and the same message signed outside the library's
 * five-minute window (a replay) is refused.
 */
@QuarkusTest
class StandardWebhooksLiveTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final DispatcherFixture fixture = new DispatcherFixture();

    @AfterEach
    void closeAll() throws Exception {
        fixture.close();
    }

    static String newSecret() {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    @Test
    void whatWgmonSendsVerifiesAndAReplayOutsideTheWindowDoesNot() throws Exception {
        String secret = newSecret();
        TestReceiver receiver = fixture.receiver(request -> Reply.of(204));
        receiver.respondWith(request -> receiver.requests().size() == 1 ? Reply.of(503) : Reply.of(204));
        WebhookDispatcher dispatcher = fixture.dispatcher(ConfiguredReceivers.of(TestWgmonConfig.of(Map.of(
                        "wgmon.webhook.receivers.std.url", receiver.uri("/hook").toString(),
                        "wgmon.webhook.receivers.std.signature", "standard",
                        "wgmon.webhook.receivers.std.secret", secret)).webhook()),
                DispatcherFixture.policy(Optional.empty()));
        dispatcher.commit(List.of(TestEvents.connectedNow(TestEvents.KEY, Instant.now())), PeerStateChanges.NONE);
        Await.until("the retry", WAIT, () -> receiver.requests().size() == 2);

        Webhook verifier = new Webhook(secret);
        for (Request request : receiver.requests()) {
            String body = new String(request.body(), StandardCharsets.UTF_8);
            assertDoesNotThrow(() -> verifier.verify(body, request.headers()), "every attempt is signed");
            assertEquals(request.header("X-Wgmon-Delivery"), request.header("webhook-id"));
            assertTrue(request.header("webhook-signature").startsWith("v1,"), request.header("webhook-signature"));
            assertNull(request.header("X-Wgmon-Signature-256"), "one scheme per receiver");
        }
        Request delivered = receiver.requests().get(1);
        String body = new String(delivered.body(), StandardCharsets.UTF_8);

        assertThrows(WebhookVerificationException.class,
                () -> verifier.verify(body.replace("wg0", "wg1"), delivered.headers()), "a changed body");
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(newSecret()).verify(body, delivered.headers()), "another secret");

        Map<String, String> old = new StandardWebhooksSigner(secret).headers(delivered.header("webhook-id"),
                Instant.now().minus(Duration.ofMinutes(6)), delivered.body());
        Map<String, List<String>> replayed = new HashMap<>();
        old.forEach((name, value) -> replayed.put(name, List.of(value)));
        WebhookVerificationException replay = assertThrows(WebhookVerificationException.class,
                () -> verifier.verify(body, replayed));
        System.out.println("a replay signed 6 min ago: " + replay.getMessage());
    }

    @Test
    void standardNeedsAWhsecSecret() {
        List<String> problems = ConfigCheck.problems(TestWgmonConfig.of(Map.of(
                "wgmon.webhook.receivers.std.url", "http://127.0.0.1:9/hook",
                "wgmon.webhook.receivers.std.signature", "standard",
                "wgmon.webhook.receivers.std.secret", "plain-secret")));
        assertEquals(List.of("wgmon.webhook.receivers.std.signature=standard needs wgmon.webhook.receivers.std.secret="
                + "whsec_<base64 key> (a Standard Webhooks secret)"), problems);
    }
}
