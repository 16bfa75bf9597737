package io.wgmon.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.format.WebhookSigner;
import io.wgmon.delivery.http.JdkHttpWebhookSender;
import io.wgmon.delivery.queue.DeliveryPolicy;
import io.wgmon.delivery.queue.ReceiverContexts;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.store.StoreDatabase;
import io.wgmon.timing.Backoff;
import io.wgmon.timing.Timers;
import io.wgmon.timing.VertxTimers;
import io.wgmon.tracking.PeerEvent;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * The child JVM of {@link SpoolRestartTest}: a dispatcher with a spool, driven over stdin/stdout, that the
 * test kills with SIGKILL. It never closes anything.
 * <ol>
 * <li>sends two events of peer 0 to the receiver, which is up, and prints {@code ACKED <id> <id>} once both
 * are accepted and their done marks committed;</li>
 * <li>on the line {@code GO} (the test has stopped the receiver) submits three connects and one disconnect
 * and prints {@code SPOOLED <id>...} once each peer's first event was attempted and all four rows are
 * committed (as another process sees the store);</li>
 * <li>waits to be killed.</li>
 * </ol>
 */
public final class SpoolWriterMain {
    static final String RECEIVER = "restart";

    private SpoolWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path spoolDir = Path.of(args[0]);
        URI url = URI.create(args[1]);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Vertx vertx = Vertx.vertx();
        WebhookDispatcher dispatcher = new WebhookDispatcher(List.of(receiver(url)),
                policy(spoolDir, new VertxTimers(vertx, Clock.systemUTC())).policy(),
                Optional.of(StoreDatabase.open(spoolDir)), ReceiverContexts.on(vertx), new JdkHttpWebhookSender(),
                registry);
        String spoolName = receiver(url).spoolName();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

        List<PeerEvent> before = List.of(TestEvents.connectedNow(TestEvents.key(0), Instant.now()),
                TestEvents.disconnectedNow(TestEvents.key(0), Instant.now()));
        before.forEach(event -> dispatcher.commit(List.of(event), PeerStateChanges.NONE));
        waitFor(() -> dispatcher.pending() == 0);
        waitFor(() -> StoreInspector.ids(spoolDir, spoolName).isEmpty());
        System.out.println("ACKED " + ids(before));

        if (!"GO".equals(commands.readLine())) {
            throw new IllegalStateException("expected GO");
        }
        List<PeerEvent> during = new ArrayList<>();
        for (int peer = 1; peer <= 3; peer++) {
            during.add(TestEvents.connectedNow(TestEvents.key(peer), Instant.now()));
        }
        during.add(TestEvents.disconnectedNow(TestEvents.key(1), Instant.now()));
        during.forEach(event -> dispatcher.commit(List.of(event), PeerStateChanges.NONE));
        waitFor(() -> registry.get("wgmon.webhook.retries").counter().count() >= 3);
        waitFor(() -> StoreInspector.ids(spoolDir, spoolName).size() == during.size());
        System.out.println("SPOOLED " + ids(during));
        Thread.sleep(Long.MAX_VALUE);
    }

    static WebhookReceiver receiver(URI url) {
        return WebhookReceiver.named(RECEIVER, url, Map.of(), new JsonPayloadFormat(),
                Optional.of(new WebhookSigner("restart-secret")));
    }

    static DispatcherFixture.Setup policy(Path spoolDir, Timers timers) {
        return new DispatcherFixture.Setup(new DeliveryPolicy(100,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(300), new Random()), 5, Duration.ofDays(1),
                1 << 20, timers), DispatcherFixture.spool(spoolDir, 1 << 20));
    }

    private static String ids(List<PeerEvent> events) {
        return String.join(" ", events.stream().map(event -> event.id().toString()).toList());
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(10);
        }
    }
}
