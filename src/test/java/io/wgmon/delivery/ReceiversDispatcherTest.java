package io.wgmon.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.delivery.TestReceiver.Reply;
import io.wgmon.delivery.TestReceiver.Request;
import io.wgmon.delivery.format.CloudEventsPayloadFormat;
import io.wgmon.delivery.format.FormPayloadFormat;
import io.wgmon.delivery.format.WebhookSigner;
import io.wgmon.delivery.format.WebhookSignerTest;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.timing.ManualTimers;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.wgmon.delivery.DispatcherFixture.json;
import static io.wgmon.delivery.DispatcherFixture.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several receivers, each with its own format, secret and headers, and each with its own circuit. */
@QuarkusTest
class ReceiversDispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final DispatcherFixture fixture = new DispatcherFixture();
    private final ObjectMapper mapper = new ObjectMapper();

    @AfterEach
    void closeAll() throws Exception {
        fixture.close();
    }

    @Test
    void eachReceiverGetsEveryEventInItsOwnFormatWithItsOwnSecretAndHeaders() throws Exception {
        TestReceiver receiver = fixture.receiver(request -> Reply.of(200));
        WebhookReceiver api = WebhookReceiver.named("api", receiver.uri("/api"),
                Map.of("Authorization", "Bearer t0ken", "X-Tenant", "blue"), new CloudEventsPayloadFormat(),
                Optional.of(new WebhookSigner("api-secret")));
        WebhookReceiver discord = WebhookReceiver.named("discord", receiver.uri("/discord"), Map.of(),
                new FormPayloadFormat(), Optional.empty());
        WebhookReceiver plain = json("plain", receiver.uri("/plain"));
        WebhookDispatcher dispatcher = fixture.dispatcher(List.of(api, discord, plain), policy(Optional.empty()));
        PeerEvent connected = TestEvents.connectedNow(TestEvents.KEY, Instant.now());
        PeerEvent disconnected = TestEvents.disconnectedNow(TestEvents.KEY, Instant.now());

        dispatcher.commit(List.of(connected), PeerStateChanges.NONE);
        dispatcher.commit(List.of(disconnected), PeerStateChanges.NONE);
        Await.until("six deliveries", WAIT, () -> receiver.requests().size() == 6);

        List<Request> toApi = requestsTo(receiver, "/api");
        assertEquals(2, toApi.size());
        for (Request request : toApi) {
            assertEquals("Bearer t0ken", request.header("Authorization"));
            assertEquals("blue", request.header("X-Tenant"));
            assertEquals("application/cloudevents+json", request.header("Content-Type"));
            assertEquals("sha256=" + WebhookSignerTest.hmac("api-secret", request.body()),
                    request.header("X-Wgmon-Signature-256"));
            JsonNode envelope = mapper.readTree(request.body());
            assertEquals(request.header("X-Wgmon-Delivery"), envelope.get("id").textValue());
        }
        assertEquals("io.wgmon.peer.connected", mapper.readTree(toApi.get(0).body()).get("type").textValue());

        List<Request> toDiscord = requestsTo(receiver, "/discord");
        assertEquals(List.of("content=Connection wg0:" + TestEvents.KEY + " on endpoint 192.0.2.2:40000 is opened",
                        "content=Connection wg0:" + TestEvents.KEY + " on endpoint 192.0.2.2:40000 is closed"),
                toDiscord.stream().map(r -> URLDecoder.decode(new String(r.body(), StandardCharsets.US_ASCII),
                        StandardCharsets.UTF_8)).toList());
        for (Request request : toDiscord) {
            assertEquals("application/x-www-form-urlencoded", request.header("Content-Type"));
            assertNull(request.header("Authorization"), "headers are per receiver");
            assertNull(request.header("X-Wgmon-Signature-256"));
        }

        List<Request> toPlain = requestsTo(receiver, "/plain");
        assertEquals(List.of(connected.id().toString(), disconnected.id().toString()),
                SpoolingDispatcherTest.ids(toPlain));
        assertEquals("peer.disconnected", mapper.readTree(toPlain.get(1).body()).get("event").textValue());
    }

    /**
     * A receiver gets only the types it selected: the default two, or its own list. A last event both get
     * fences the check: one peer's events arrive in order, so nothing unselected is still on its way.
     */
    @Test
    void eachReceiverGetsOnlyTheTypesItSelected() throws Exception {
        TestReceiver receiver = fixture.receiver(request -> Reply.of(200));
        WebhookReceiver plain = json("plain", receiver.uri("/plain"));
        WebhookReceiver roams = json("roams", receiver.uri("/roams"))
                .withEvents(Set.of(PeerEventType.CONNECTED, PeerEventType.ROAMED));
        WebhookDispatcher dispatcher = fixture.dispatcher(List.of(plain, roams), policy(Optional.empty()));
        PeerEvent connected = TestEvents.connectedNow(TestEvents.KEY, Instant.now());
        PeerEvent roamed = TestEvents.roamedNow(TestEvents.KEY, Instant.now());
        PeerEvent disconnected = TestEvents.disconnectedNow(TestEvents.KEY, Instant.now());
        PeerEvent marker = TestEvents.connectedNow(TestEvents.KEY, Instant.now());

        dispatcher.commit(List.of(connected, roamed, disconnected, marker), PeerStateChanges.NONE);
        Await.until("the marker at both", WAIT, () -> requestsTo(receiver, "/plain").size() >= 3
                && requestsTo(receiver, "/roams").size() >= 3);

        assertEquals(List.of(connected.id().toString(), disconnected.id().toString(), marker.id().toString()),
                SpoolingDispatcherTest.ids(requestsTo(receiver, "/plain")));
        assertEquals(List.of(connected.id().toString(), roamed.id().toString(), marker.id().toString()),
                SpoolingDispatcherTest.ids(requestsTo(receiver, "/roams")));
        assertEquals("peer.roamed", requestsTo(receiver, "/roams").get(1).header("X-Wgmon-Event"));
    }

    /**
     * 20 peers' events go to a receiver that answers 503 and to one that works. The working one gets all at
     * once; the failing one gets the first attempt of each lane, then after the circuit opens only single
     * probes, not a retry per peer; when it recovers every lane is delivered.
     */
    @Test
    void aFailingReceiverIsProbedNotHammeredWhileTheOtherGoesOn() throws Exception {
        AtomicInteger failing = new AtomicInteger(503);
        ManualTimers timers = new ManualTimers();
        TestReceiver down = fixture.receiver(request -> Reply.of(failing.get()));
        TestReceiver up = fixture.receiver(request -> Reply.of(200));
        WebhookDispatcher dispatcher = fixture.dispatcher(
                List.of(json("down", down.uri("/hook")), json("up", up.uri("/hook"))),
                policy(Optional.empty(), Duration.ofMillis(400), Duration.ofDays(1), timers));
        List<PeerEvent> events = new ArrayList<>();
        for (int peer = 0; peer < 20; peer++) {
            events.add(TestEvents.connectedNow(TestEvents.key(peer), Instant.now()));
        }

        events.forEach(event -> dispatcher.commit(List.of(event), PeerStateChanges.NONE));
        Await.until("the working receiver has everything", Duration.ofSeconds(5),
                () -> fixture.count("delivered", "up") == 20);
        BooleanSupplier answered = () -> fixture.count("retries", "down") == down.requests().size();
        Await.until("every lane's first attempt answered", WAIT,
                () -> fixture.count("retries", "down") >= 20 && answered.getAsBoolean());
        Await.until("the circuit opened", WAIT, () -> fixture.gauge("circuit.open", "down") == 1.0);
        int atOpen = down.requests().size();
        // 3 s of logical time, in steps taken only while the queue waits for a timer, not for a reply
        for (int step = 0; step < 300; step++) {
            Await.until("the next probe scheduled", WAIT, () -> !timers.pending().isEmpty());
            timers.advance(Duration.ofMillis(10));
        }
        Await.until("the next probe scheduled", WAIT, () -> !timers.pending().isEmpty());
        Await.until("the last attempt answered", WAIT, answered);
        int probes = down.requests().size() - atOpen;
        assertTrue(atOpen <= 40, "the first attempts of 20 lanes and a few retries: " + atOpen);
        assertTrue(probes >= 3 && probes <= 20, "probes one at a time, 200..400 ms apart, in 3 s: " + probes);

        failing.set(200);
        DispatcherFixture.advanceUntil("every lane delivered after the receiver recovered", timers,
                Duration.ofMillis(10), WAIT,
                () -> fixture.count("delivered", "down") == 20);
        assertEquals(0.0, fixture.gauge("circuit.open", "down"));
        assertEquals(0, dispatcher.pending());
    }

    private static List<Request> requestsTo(TestReceiver receiver, String path) {
        return receiver.requests().stream().filter(r -> r.path().equals(path)).toList();
    }
}
