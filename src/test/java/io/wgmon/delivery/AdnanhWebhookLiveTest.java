package io.wgmon.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.config.TestWgmonConfig;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.testbed.LivePrerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * X-Wgmon-Signature-256 checked by a real receiver: Debian's {@code webhook} (adnanh/webhook) with a
 * {@code payload-hmac-sha256} trigger rule on that header. Its mismatch code is set to 403, or it would
 * answer 200 when the rule does not match (no signature); a signature made with another secret is an
 * evaluation error in webhook 2.8.0, answered 500, and never runs the hook.
 */
@QuarkusTest
class AdnanhWebhookLiveTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "wgmon-shared-secret";

    private final DispatcherFixture fixture = new DispatcherFixture();

    @AfterEach
    void closeAll() throws Exception {
        fixture.close();
    }

    @Test
    void theRightSecretIsAcceptedAndAWrongOneRefused() throws Exception {
        LivePrerequisites.require("webhook");
        Path dir = Files.createTempDirectory("wgmon-adnanh-");
        Path hooks = dir.resolve("hooks.json");
        Files.writeString(hooks, """
                [{"id": "wgmon", "execute-command": "/bin/true", "response-message": "accepted",
                  "trigger-rule-mismatch-http-response-code": 403,
                  "trigger-rule": {"match": {"type": "payload-hmac-sha256", "secret": "%s",
                    "parameter": {"source": "header", "name": "X-Wgmon-Signature-256"}}}}]
                """.formatted(SECRET));
        int port = FreePort.pick();
        Process webhook = new ProcessBuilder("webhook", "-hooks", hooks.toString(), "-ip", "127.0.0.1",
                "-port", Integer.toString(port), "-verbose")
                .redirectErrorStream(true).redirectOutput(dir.resolve("webhook.log").toFile()).start();
        try {
            Await.until("webhook listening", WAIT, () -> listening(port));
            String url = "http://127.0.0.1:" + port + "/hooks/wgmon";
            WebhookDispatcher dispatcher = fixture.dispatcher(ConfiguredReceivers.of(TestWgmonConfig.of(Map.of(
                            "wgmon.webhook.receivers.right.url", url,
                            "wgmon.webhook.receivers.right.secret", SECRET,
                            "wgmon.webhook.receivers.wrong.url", url,
                            "wgmon.webhook.receivers.wrong.secret", "not-the-secret",
                            "wgmon.webhook.receivers.unsigned.url", url)).webhook()),
                    DispatcherFixture.policy(Optional.empty()));
            dispatcher.commit(List.of(TestEvents.connectedNow(TestEvents.KEY, Instant.now())), PeerStateChanges.NONE);
            Await.until("answers", WAIT, () -> fixture.count("delivered", "right") == 1
                    && fixture.count("failed", "unsigned") == 1 && fixture.count("retries", "wrong") >= 2);
            String log = Files.readString(dir.resolve("webhook.log"));
            // webhook 2.8.0 answers a wrong signature with 500 ("error evaluating hook"), which wgmon retries;
            // the mismatch code (403) is what it answers when the rule does not match, e.g. no signature
            assertEquals(1, log.lines().filter(line -> line.contains("executing /bin/true")).count(),
                    "only the right secret triggered the hook:\n" + log);
            assertTrue(log.contains("invalid payload signature"), log);
            assertEquals(0, fixture.count("delivered", "wrong"));
            System.out.println("adnanh/webhook: right secret delivered=" + fixture.count("delivered", "right")
                    + ", wrong secret delivered=" + fixture.count("delivered", "wrong") + " after "
                    + fixture.count("retries", "wrong") + " refused attempts, unsigned refused (403)="
                    + fixture.count("failed", "unsigned"));
        } finally {
            webhook.destroy();
            webhook.waitFor();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
