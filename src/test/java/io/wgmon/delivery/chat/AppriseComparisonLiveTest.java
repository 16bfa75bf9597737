package io.wgmon.delivery.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.config.TestWgmonConfig;
import io.wgmon.delivery.Await;
import io.wgmon.delivery.ConfiguredReceivers;
import io.wgmon.delivery.DispatcherFixture;
import io.wgmon.delivery.TestEvents;
import io.wgmon.delivery.TestReceiver.Reply;
import io.wgmon.delivery.TestReceiver.Request;
import io.wgmon.delivery.TestReceiver;
import io.wgmon.delivery.WebhookDispatcher;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.testbed.LivePrerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ntfy and gotify presets next to the request Apprise (Debian's apprise) makes for the same title and
 * message to the same mock server: both must mean the same notification to the service.
 */
@QuarkusTest
class AppriseComparisonLiveTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DispatcherFixture fixture = new DispatcherFixture();

    @AfterEach
    void closeAll() throws Exception {
        fixture.close();
    }

    @Test
    void ntfyMeansTheSameNotificationAsApprisesRequest() throws Exception {
        LivePrerequisites.require("apprise");
        TestReceiver service = fixture.receiver(request -> Reply.of(200));
        Request ours = ours(service, "ntfy", "/wgmon-alerts");
        Map<String, Object> wgmon = ntfyMessage(ours);
        apprise("-t", ours.header("X-Title"), "-b", new String(ours.body(), StandardCharsets.UTF_8),
                "ntfy://127.0.0.1:" + ours.headers().get("Host").get(0).split(":")[1]
                        + "/wgmon-alerts?tags=" + ours.header("X-Tags"));
        Await.until("apprise's request", WAIT, () -> service.requests().size() == 2);
        Request theirs = service.requests().get(1);
        System.out.println("ntfy, wgmon:   " + ours.method() + " " + ours.path() + " " + wgmon);
        Map<String, Object> apprise = ntfyMessage(theirs);
        System.out.println("ntfy, apprise: " + theirs.method() + " " + theirs.path() + " " + apprise);
        assertEquals(apprise, wgmon);
    }

    @Test
    void gotifyMeansTheSameMessageAsApprisesRequest() throws Exception {
        LivePrerequisites.require("apprise");
        TestReceiver service = fixture.receiver(request -> Reply.of(200));
        Request ours = ours(service, "gotify", "/message?token=AbCdEf0123");
        JsonNode wgmon = JSON.readTree(ours.body());
        apprise("-t", wgmon.get("title").asText(), "-b", wgmon.get("message").asText(),
                "gotify://127.0.0.1:" + ours.headers().get("Host").get(0).split(":")[1] + "/AbCdEf0123");
        Await.until("apprise's request", WAIT, () -> service.requests().size() == 2);
        Request theirs = service.requests().get(1);
        System.out.println("gotify, wgmon:   " + ours.method() + " " + ours.path() + "?" + ours.rawQuery() + " "
                + wgmon);
        System.out.println("gotify, apprise: " + theirs.method() + " " + theirs.path() + " X-Gotify-Key "
                + theirs.header("X-Gotify-Key") + " " + JSON.readTree(theirs.body()));
        assertEquals(theirs.method(), ours.method());
        assertEquals(theirs.path(), ours.path());
        assertEquals(theirs.header("X-Gotify-Key"), ours.rawQuery().substring("token=".length()),
                "gotify takes the app token as X-Gotify-Key or ?token=");
        assertEquals(theirs.header("Content-Type"), ours.header("Content-Type"));
        assertEquals(JSON.readTree(theirs.body()), wgmon);
    }

    private Request ours(TestReceiver service, String preset, String path) throws Exception {
        WebhookDispatcher dispatcher = fixture.dispatcher(ConfiguredReceivers.of(TestWgmonConfig.of(Map.of(
                        "wgmon.webhook.receivers.chat.url", service.uri(path).toString(),
                        "wgmon.webhook.receivers.chat.preset", preset)).webhook()),
                DispatcherFixture.policy(Optional.empty()));
        dispatcher.commit(List.of(ChatPresetsLiveTest.connectedNow(TestEvents.KEY, "alice-laptop")), PeerStateChanges.NONE);
        Await.until("wgmon's request", WAIT, () -> service.requests().size() == 1);
        return service.requests().get(0);
    }

    /**
     * What ntfy publishes (docs.ntfy.sh/publish): topic from the path or the JSON's "topic", message from
     * the body or the JSON's "message", title, tags and priority from X- headers or the JSON; priority 3
     * when absent.
     */
    private static Map<String, Object> ntfyMessage(Request request) throws Exception {
        Map<String, Object> message = new TreeMap<>();
        message.put("topic", request.path().substring(1));
        message.put("message", new String(request.body(), StandardCharsets.UTF_8));
        message.put("title", request.header("X-Title"));
        message.put("tags", request.header("X-Tags") == null ? List.of()
                : Arrays.asList(request.header("X-Tags").split(",")));
        message.put("priority", request.header("X-Priority") == null ? 3
                : Integer.parseInt(request.header("X-Priority")));
        if (request.path().equals("/") && request.header("Content-Type").startsWith("application/json")) {
            JsonNode json = JSON.readTree(request.body());
            message.put("topic", json.get("topic").asText());
            message.put("message", json.get("message").asText());
            if (json.has("title")) {
                message.put("title", json.get("title").asText());
            }
            if (json.has("priority")) {
                message.put("priority", json.get("priority").asInt());
            }
        }
        return message;
    }

    private static void apprise(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 2];
        command[0] = "apprise";
        command[1] = "-vv";
        System.arraycopy(arguments, 0, command, 2, arguments.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("apprise did not finish within 60 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), "apprise: " + output);
        } finally {
            process.destroy();
        }
    }
}
