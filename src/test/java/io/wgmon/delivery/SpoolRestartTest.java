package io.wgmon.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.delivery.TestReceiver.Reply;
import io.wgmon.delivery.TestReceiver.Request;
import io.wgmon.delivery.format.WebhookSignerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dispatcher in a child JVM stores events while the receiver is down and is killed with SIGKILL
 * ({@link Process#destroyForcibly()}): no drain, no close. A new dispatcher over the same store
 * delivers every spooled event once, each peer's in order, and resends none that had been acknowledged.
 */
@QuarkusTest
class SpoolRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path spoolDir;

    private final DispatcherFixture fixture = new DispatcherFixture();
    private Process child;

    @AfterEach
    void cleanUp() throws Exception {
        if (child != null) {
            child.destroyForcibly();
        }
        fixture.close();
    }

    @Test
    void eventsSpooledBeforeASigkillArriveAfterTheRestartAndAcknowledgedOnesAreNotResent() throws Exception {
        TestReceiver before = TestReceiver.start(request -> Reply.of(200));
        child = new ProcessBuilder(javaBinary(), "-Xmx96m", "-cp", System.getProperty("java.class.path"),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                SpoolWriterMain.class.getName(), spoolDir.toString(), before.uri("/hook").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);

        List<String> acked = words(line(out, "ACKED"));
        assertEquals(acked, SpoolingDispatcherTest.ids(before.requests()), "sent before the outage");
        before.close();
        in.write("GO\n");
        in.flush();
        List<String> spooled = words(line(out, "SPOOLED"));
        assertEquals(4, spooled.size());

        child.destroyForcibly();
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");

        TestReceiver after = fixture.receiver(request -> Reply.of(200));
        WebhookDispatcher restarted = fixture.dispatcher(List.of(SpoolWriterMain.receiver(after.uri("/hook"))),
                SpoolWriterMain.policy(spoolDir, DispatcherFixture.realTime()));
        Await.until("the spooled events delivered", WAIT, () -> after.requests().size() >= 4);
        Await.until("all finished", WAIT, () -> restarted.pending() == 0);

        List<String> delivered = SpoolingDispatcherTest.ids(after.requests());
        assertEquals(4, delivered.size(), "each exactly once, none of the acknowledged: " + delivered);
        assertEquals(spooled.stream().sorted().toList(), delivered.stream().sorted().toList());
        assertTrue(delivered.indexOf(spooled.get(0)) < delivered.indexOf(spooled.get(3)),
                "peer 1 connected, then disconnected: " + delivered);
        for (Request request : after.requests()) {
            assertEquals("sha256=" + WebhookSignerTest.hmac("restart-secret", request.body()),
                    request.header("X-Wgmon-Signature-256"), "spooled events are signed when sent");
        }
        assertEquals(0, restarted.pending());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Reads the child's next line, which must start with the word; fails after a timeout. */
    private String line(BufferedReader out, String word) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(line != null && line.startsWith(word + " "), "child said: " + line);
        return line.substring(word.length() + 1);
    }

    private static List<String> words(String text) {
        return Arrays.asList(text.split(" "));
    }
}
