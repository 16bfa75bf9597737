package io.wgmon.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.delivery.TestReceiver.Reply;
import io.wgmon.delivery.TestReceiver.Request;
import io.wgmon.delivery.format.CloudEventsPayloadFormat;
import io.wgmon.delivery.format.FormPayloadFormat;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.format.Payload;
import io.wgmon.delivery.format.PayloadFormat;
import io.wgmon.delivery.format.WebhookSigner;
import io.wgmon.delivery.format.WebhookSignerTest;
import io.wgmon.delivery.http.RestClientWebhookSender;
import io.wgmon.delivery.http.WebhookSender;
import io.wgmon.delivery.http.WebhookTls;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.timing.Backoff;
import io.wgmon.timing.ManualTimers;
import io.wgmon.timing.Timers;
import io.wgmon.tracking.PeerEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher with the real REST client against a real HTTP receiver on 127.0.0.1. The REST client
 * needs the Quarkus runtime, hence {@code @QuarkusTest}; the dispatchers themselves are built here.
 */
@QuarkusTest
class WebhookDispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ObjectMapper mapper = new ObjectMapper();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(closeables);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void headersAndBodyArriveExactly() throws Exception {
        TestReceiver receiver = receiver(request -> Reply.of(204));
        URI uri = receiver.uri("/hooks/abc?token=x%20y");
        WebhookDispatcher dispatcher = dispatcher(uri, 10, Duration.ofMillis(10), Duration.ofMillis(100),
                new JsonPayloadFormat(), Optional.of(new WebhookSigner("s3cret")));
        PeerEvent event = TestEvents.connected();

        dispatcher.commit(List.of(event), PeerStateChanges.NONE);
        Await.until("one delivery", WAIT, () -> count("delivered", uri) == 1);

        List<Request> requests = receiver.requests();
        assertEquals(1, requests.size());
        Request request = requests.get(0);
        assertEquals("POST", request.method());
        assertEquals("/hooks/abc", request.path());
        assertEquals("token=x%20y", request.rawQuery());
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("peer.connected", request.header("X-Wgmon-Event"));
        assertEquals(event.id().toString(), request.header("X-Wgmon-Delivery"));
        assertEquals("wgmon/test", request.header("User-Agent"));
        assertArrayEquals(new JsonPayloadFormat().render(event).body(), request.body());
        assertEquals("sha256=" + WebhookSignerTest.hmac("s3cret", request.body()),
                request.header("X-Wgmon-Signature-256"));
        assertEquals(0, dispatcher.pending());
    }

    @Test
    void formAndCloudEventsKeepTheirContentTypeAndUnsignedHasNoSignature() throws Exception {
        PeerEvent event = TestEvents.connected();
        for (PayloadFormat format : List.of(new FormPayloadFormat(), new CloudEventsPayloadFormat())) {
            TestReceiver receiver = receiver(request -> Reply.of(200));
            URI uri = receiver.uri("/hook");
            WebhookDispatcher dispatcher = dispatcher(uri, 10, Duration.ofMillis(10), Duration.ofMillis(100),
                    format, Optional.empty());
            dispatcher.commit(List.of(event), PeerStateChanges.NONE);
            Await.until("delivery in " + format, WAIT, () -> count("delivered", uri) == 1);
            Request request = receiver.requests().get(0);
            Payload expected = format.render(event);
            assertEquals(expected.contentType(), request.header("Content-Type"));
            assertArrayEquals(expected.body(), request.body());
            assertNull(request.header("X-Wgmon-Signature-256"));
        }
    }

    @Test
    void everyReceiverGetsEveryEventAndADownOneDoesNotHoldUpTheOthers() throws Exception {
        TestReceiver receiver = receiver(request -> Reply.of(request.path().equals("/down") ? 503 : 200));
        URI up = receiver.uri("/up");
        URI down = receiver.uri("/down");
        WebhookDispatcher dispatcher = closeLater(new WebhookDispatcher(
                DispatcherFixture.byUrl(List.of(up, down), new JsonPayloadFormat(), Optional.empty()),
                DispatcherFixture.memoryPolicy(10, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50),
                        new Random()), DispatcherFixture.realTime()), Optional.empty(), DispatcherFixture.contexts(),
                sender(Duration.ofMillis(500), Duration.ofSeconds(2)), registry));
        String upTag = hostAndPort(up);
        String downTag = hostAndPort(down) + "#2";

        dispatcher.commit(List.of(TestEvents.numbered(TestEvents.key(1), 1)), PeerStateChanges.NONE);
        dispatcher.commit(List.of(TestEvents.numbered(TestEvents.key(1), 2)), PeerStateChanges.NONE);
        Await.until("both delivered to the receiver that is up", WAIT, () -> count("delivered", upTag) == 2);
        Await.until("retries at the receiver that is down", WAIT, () -> count("retries", downTag) >= 3);

        assertEquals(0.0, count("delivered", downTag));
        assertEquals(2, dispatcher.pending(), "both events still queued for /down");
        assertEquals(2.0, registry.get("wgmon.webhook.pending").tag("receiver", downTag).gauge().value());
        assertEquals(0.0, registry.get("wgmon.webhook.pending").tag("receiver", upTag).gauge().value());
    }

    @Test
    void retriesAfter503UntilAcceptedWithTheSameDeliveryId() throws Exception {
        TestReceiver receiver = receiver(request -> Reply.of(503));
        receiver.respondWith(request -> Reply.of(receiver.requests().size() <= 2 ? 503 : 200));
        URI uri = receiver.uri("/hook");
        ManualTimers timers = new ManualTimers();
        WebhookDispatcher dispatcher = dispatcher(uri, 10, Duration.ofMillis(20), Duration.ofMillis(200),
                new JsonPayloadFormat(), Optional.of(new WebhookSigner("s3cret")),
                sender(Duration.ofMillis(500), Duration.ofSeconds(2)), timers);
        PeerEvent event = TestEvents.connected();

        dispatcher.commit(List.of(event), PeerStateChanges.NONE);
        DispatcherFixture.advanceUntil("delivered", timers, Duration.ofMillis(20), WAIT,
                () -> count("delivered", uri) == 1);
        Await.until("the delivery finished", WAIT, () -> dispatcher.pending() == 0);
        assertEquals(List.of(), timers.pending(), "no retry waits: nothing more can be sent");

        List<Request> requests = receiver.requests();
        assertEquals(3, requests.size(), "two 503s, then one accepted attempt, then nothing");
        for (Request request : requests) {
            assertEquals(event.id().toString(), request.header("X-Wgmon-Delivery"));
            assertArrayEquals(requests.get(0).body(), request.body());
            assertEquals(requests.get(0).header("X-Wgmon-Signature-256"), request.header("X-Wgmon-Signature-256"));
        }
        assertEquals(2.0, count("retries", uri));
        assertEquals(0.0, count("failed", uri));
        assertEquals(0, dispatcher.pending());
    }

    @Test
    void clientErrorDropsTheEventAndLaterEventsStillGo() throws Exception {
        PeerEvent refused = TestEvents.numbered(TestEvents.key(1), 1);
        PeerEvent next = TestEvents.numbered(TestEvents.key(1), 2);
        TestReceiver receiver = receiver(request ->
                Reply.of(refused.id().toString().equals(request.header("X-Wgmon-Delivery")) ? 400 : 200));
        URI uri = receiver.uri("/hook");
        WebhookDispatcher dispatcher = dispatcher(uri, 10, Duration.ofMillis(10), Duration.ofMillis(100),
                new JsonPayloadFormat(), Optional.empty());

        dispatcher.commit(List.of(refused), PeerStateChanges.NONE);
        dispatcher.commit(List.of(next), PeerStateChanges.NONE);
        Await.until("second event delivered", WAIT, () -> count("delivered", uri) == 1);
        Await.until("both finished", WAIT, () -> dispatcher.pending() == 0);

        assertEquals(List.of(refused.id().toString(), next.id().toString()),
                receiver.requests().stream().map(r -> r.header("X-Wgmon-Delivery")).toList());
        assertEquals(1.0, count("failed", uri));
        assertEquals(0.0, count("retries", uri));
        assertEquals(0, dispatcher.pending());
    }

    @Test
    void connectionRefusedIsRetriedUntilTheReceiverStarts() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/late");
        WebhookDispatcher dispatcher = dispatcher(uri, 10, Duration.ofMillis(20), Duration.ofMillis(100),
                new JsonPayloadFormat(), Optional.empty());
        PeerEvent event = TestEvents.connected();

        long before = System.nanoTime();
        dispatcher.commit(List.of(event), PeerStateChanges.NONE);
        assertTrue(System.nanoTime() - before < TimeUnit.MILLISECONDS.toNanos(200), "submit must not block");
        Await.until("three refused attempts", WAIT, () -> count("retries", uri) >= 3);
        assertEquals(1, dispatcher.pending());

        TestReceiver receiver = receiver(port, request -> Reply.of(200));
        Await.until("delivered once the receiver runs", WAIT, () -> count("delivered", uri) == 1);
        assertEquals(List.of(event.id().toString()),
                receiver.requests().stream().map(r -> r.header("X-Wgmon-Delivery")).toList());
    }

    @Test
    void timeoutIsRetried() throws Exception {
        TestReceiver receiver = receiver(request -> Reply.of(200));
        receiver.respondWith(request -> receiver.requests().size() == 1
                ? new Reply(200, Map.of(), 1500) : Reply.of(200));
        URI uri = receiver.uri("/slow");
        RestClientWebhookSender sender = sender(Duration.ofMillis(500), Duration.ofMillis(300));
        WebhookDispatcher dispatcher = dispatcher(uri, 10, Duration.ofMillis(10), Duration.ofMillis(100),
                new JsonPayloadFormat(), Optional.empty(), sender);

        dispatcher.commit(List.of(TestEvents.connected()), PeerStateChanges.NONE);
        Await.until("delivered after a timeout", WAIT, () -> count("delivered", uri) == 1);
        assertTrue(count("retries", uri) >= 1);
        assertTrue(receiver.requests().size() >= 2);
    }

    @Test
    void keepsPerPeerOrderWhileTheReceiverFailsRandomly() throws Exception {
        int peers = 6;
        int eventsPerPeer = 40;
        Random random = new Random(42);
        Map<String, List<Long>> accepted = new ConcurrentHashMap<>();
        Map<String, List<Long>> attempted = new ConcurrentHashMap<>();
        TestReceiver receiver = receiver(request -> {
            JsonNode peer = parse(request.body()).get("peer");
            String key = peer.get("publicKey").textValue();
            long sequence = peer.get("rxBytes").longValue();
            attempted.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(sequence);
            int roll;
            synchronized (random) {
                roll = random.nextInt(10);
            }
            if (roll < 2) {
                return Reply.of(503);
            }
            if (roll < 3) {
                return Reply.of(500);
            }
            accepted.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(sequence);
            return new Reply(200, Map.of(), 5);
        });
        URI uri = receiver.uri("/order");
        WebhookDispatcher dispatcher = dispatcher(uri, peers * eventsPerPeer, Duration.ofMillis(2),
                Duration.ofMillis(20), new JsonPayloadFormat(), Optional.empty());

        for (long sequence = 0; sequence < eventsPerPeer; sequence++) {
            for (int peer = 0; peer < peers; peer++) {
                dispatcher.commit(List.of(TestEvents.numbered(TestEvents.key(peer), sequence)), PeerStateChanges.NONE);
            }
        }
        Await.until("all delivered", Duration.ofSeconds(60), () -> dispatcher.pending() == 0);

        List<Long> expected = LongStream.range(0, eventsPerPeer).boxed().toList();
        assertEquals(peers, accepted.size());
        for (int peer = 0; peer < peers; peer++) {
            String key = TestEvents.key(peer);
            assertEquals(expected, accepted.get(key), "accepted order of " + key);
            List<Long> attempts = attempted.get(key);
            for (int i = 1; i < attempts.size(); i++) {
                assertTrue(attempts.get(i) >= attempts.get(i - 1), "attempt order of " + key + ": " + attempts);
            }
        }
        assertEquals((double) peers * eventsPerPeer, count("delivered", uri));
        assertTrue(count("retries", uri) > 0, "the receiver failed some attempts");
        assertTrue(receiver.maxInFlight() > 1, "different peers are delivered in parallel");
    }

    @Test
    void overflowIsDroppedAndCounted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TestReceiver receiver = receiver(request -> {
            try {
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.of(200);
        });
        URI uri = receiver.uri("/full");
        WebhookDispatcher dispatcher = dispatcher(uri, 3, Duration.ofMillis(10), Duration.ofMillis(100),
                new JsonPayloadFormat(), Optional.empty(), sender(Duration.ofSeconds(1), Duration.ofSeconds(30)));
        List<PeerEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(TestEvents.numbered(TestEvents.key(7), i));
        }

        events.forEach(event -> dispatcher.commit(List.of(event), PeerStateChanges.NONE));
        assertEquals(3, dispatcher.pending());
        assertEquals(7.0, count("overflow", uri));
        assertEquals(3.0, registry.get("wgmon.webhook.pending").tag("receiver", hostAndPort(uri)).gauge().value());

        release.countDown();
        Await.until("the queued three delivered", WAIT, () -> count("delivered", uri) == 3);
        assertEquals(events.subList(0, 3).stream().map(e -> e.id().toString()).toList(),
                receiver.requests().stream().map(r -> r.header("X-Wgmon-Delivery")).toList());
        dispatcher.commit(List.of(TestEvents.numbered(TestEvents.key(7), 10)), PeerStateChanges.NONE);
        Await.until("room again", WAIT, () -> count("delivered", uri) == 4);
        assertEquals(7.0, count("overflow", uri));
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        retryAfter("1", Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    @Test
    void retryAfterIsCappedAtRetryMax() throws Exception {
        retryAfter("3600", Duration.ofMillis(400), Duration.ofMillis(400));
    }

    /** In logical time: the retry waits exactly {@code expected}, not a millisecond less. */
    private void retryAfter(String header, Duration retryMax, Duration expected) throws Exception {
        TestReceiver receiver = receiver(request -> Reply.of(200));
        receiver.respondWith(request -> receiver.requests().size() == 1
                ? new Reply(header.equals("1") ? 429 : 503, Map.of("Retry-After", header), 0) : Reply.of(200));
        URI uri = receiver.uri("/busy");
        ManualTimers timers = new ManualTimers();
        WebhookDispatcher dispatcher = dispatcher(uri, 10, Duration.ofMillis(10), retryMax,
                new JsonPayloadFormat(), Optional.empty(), sender(Duration.ofMillis(500), Duration.ofSeconds(2)),
                timers);

        dispatcher.commit(List.of(TestEvents.connected()), PeerStateChanges.NONE);
        Await.until("the retry scheduled", WAIT, () -> !timers.pending().isEmpty());
        assertEquals(List.of(expected), timers.pending());
        timers.advance(expected.minusMillis(1));
        assertEquals(1, receiver.requests().size(), "not retried before " + expected);
        timers.advance(Duration.ofMillis(1));
        Await.until("delivered", WAIT, () -> count("delivered", uri) == 1);
        assertEquals(2, receiver.requests().size());
    }

    @Test
    void closeStopsRetrying() throws Exception {
        TestReceiver receiver = receiver(request -> Reply.of(503));
        URI uri = receiver.uri("/never");
        ManualTimers timers = new ManualTimers();
        WebhookDispatcher dispatcher = dispatcher(uri, 10, Duration.ofMillis(10), Duration.ofMillis(20),
                new JsonPayloadFormat(), Optional.empty(), sender(Duration.ofMillis(500), Duration.ofSeconds(2)),
                timers);
        dispatcher.commit(List.of(TestEvents.connected()), PeerStateChanges.NONE);
        DispatcherFixture.advanceUntil("some attempts", timers, Duration.ofMillis(10), WAIT,
                () -> receiver.requests().size() >= 3);

        assertFalse(dispatcher.awaitDrained(Duration.ofMillis(50)));
        dispatcher.close();
        Thread.sleep(100);
        int attempts = receiver.requests().size();
        timers.advance(Duration.ofSeconds(10)); // every retry that was waiting is due: none may go out
        Thread.sleep(300);
        assertEquals(attempts, receiver.requests().size());
        assertEquals(0, dispatcher.pending());
        dispatcher.commit(List.of(TestEvents.connected()), PeerStateChanges.NONE);
        assertEquals(0, dispatcher.pending());
    }

    private JsonNode parse(byte[] body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("receiver got invalid JSON", e);
        }
    }

    private double count(String name, URI uri) {
        return count(name, hostAndPort(uri));
    }

    private double count(String name, String receiverTag) {
        return registry.get("wgmon.webhook." + name).tag("receiver", receiverTag).counter().count();
    }

    private static String hostAndPort(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    private TestReceiver receiver(Function<Request, Reply> responder) throws IOException {
        return closeLater(TestReceiver.start(responder));
    }

    private TestReceiver receiver(int port, Function<Request, Reply> responder) throws IOException {
        return closeLater(TestReceiver.start(port, responder));
    }

    private RestClientWebhookSender sender(Duration connectTimeout, Duration requestTimeout) {
        return closeLater(new RestClientWebhookSender(connectTimeout, requestTimeout, "wgmon/test",
                WebhookTls.jvmTrustStore()));
    }

    private WebhookDispatcher dispatcher(URI uri, int queueSize, Duration initial, Duration max, PayloadFormat format,
                                         Optional<WebhookSigner> signer) {
        return dispatcher(uri, queueSize, initial, max, format, signer,
                sender(Duration.ofMillis(500), Duration.ofSeconds(2)));
    }

    private WebhookDispatcher dispatcher(URI uri, int queueSize, Duration initial, Duration max, PayloadFormat format,
                                         Optional<WebhookSigner> signer, WebhookSender sender) {
        return dispatcher(uri, queueSize, initial, max, format, signer, sender, DispatcherFixture.realTime());
    }

    private WebhookDispatcher dispatcher(URI uri, int queueSize, Duration initial, Duration max, PayloadFormat format,
                                         Optional<WebhookSigner> signer, WebhookSender sender, Timers timers) {
        return closeLater(new WebhookDispatcher(DispatcherFixture.byUrl(List.of(uri), format, signer),
                DispatcherFixture.memoryPolicy(queueSize, new Backoff(initial, max, new Random()), timers),
                Optional.empty(), DispatcherFixture.contexts(), sender, registry));
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }
}
