package io.wgmon.webhook;

import io.wgmon.timing.Backoff;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.webhook.TestReceiver.Reply;
import io.wgmon.webhook.TestReceiver.Request;

import io.quarkus.arc.Arc;
import io.vertx.core.Vertx;
import io.wgmon.store.StoreDatabase;
import io.wgmon.timing.ManualTimers;
import io.wgmon.timing.Timers;
import io.wgmon.timing.VertxTimers;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/** Builds dispatchers with the real REST-client sender and real receivers, and closes them all at the end. */
final class DispatcherFixture implements AutoCloseable {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    TestReceiver receiver(Function<Request, Reply> responder) throws IOException {
        return closeLater(TestReceiver.start(responder));
    }

    TestReceiver receiver(int port, Function<Request, Reply> responder) throws IOException {
        return closeLater(TestReceiver.start(port, responder));
    }

    RestClientWebhookSender sender() {
        return closeLater(new RestClientWebhookSender(Duration.ofMillis(500), Duration.ofSeconds(2), "wgmon/test", WebhookTls.jvmTrustStore()));
    }

    WebhookDispatcher dispatcher(List<WebhookReceiver> receivers, DeliveryPolicy policy) {
        return closeLater(new WebhookDispatcher(receivers, policy, contexts(), sender(), registry));
    }

    /** Quarkus's Vert.x: receiver contexts and the production timers run on it, as in wgmon. */
    static Vertx vertx() {
        return Arc.container().instance(Vertx.class).get();
    }

    static ReceiverContexts contexts() {
        return ReceiverContexts.on(vertx());
    }

    /** Real time on Vert.x timers, for tests whose waits are short. */
    static Timers realTime() {
        return new VertxTimers(vertx(), Clock.systemUTC());
    }

    /**
     * Moves logical time in steps until the condition holds: every retry and probe due in a step runs, so
     * a test goes through long outages without waiting for them. Real I/O in between gets real time.
     */
    static void advanceUntil(String what, ManualTimers timers, Duration step, Duration realLimit,
                             java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + realLimit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            timers.advance(step);
            Thread.sleep(5);
        }
    }

    /** Opens the store after its dispatcher closed, to look inside. */
    static StoreDatabase openStore(Path dir) {
        return StoreDatabase.open(dir);
    }

    static WebhookReceiver json(String name, URI url) {
        return WebhookReceiver.named(name, url, Map.of(), new JsonPayloadFormat(), Optional.empty());
    }

    /** Fast retries (10..200 ms), circuit after 5 failures, a day of max age, real time. */
    static DeliveryPolicy policy(Optional<DeliveryPolicy.Spooling> spool) {
        return policy(spool, Duration.ofMillis(200), Duration.ofDays(1), realTime());
    }

    static DeliveryPolicy policy(Optional<DeliveryPolicy.Spooling> spool, Duration retryMax, Duration maxAge,
                                 Timers timers) {
        return new DeliveryPolicy(1000, new Backoff(Duration.ofMillis(10), retryMax, new Random()), 5, maxAge, spool,
                timers);
    }

    static Optional<DeliveryPolicy.Spooling> spool(Path dir, long maxBytes) {
        return Optional.of(new DeliveryPolicy.Spooling(dir, maxBytes));
    }

    double count(String name, String receiverTag) {
        return registry.get("wgmon.webhook." + name).tag("receiver", receiverTag).counter().count();
    }

    double gauge(String name, String receiverTag) {
        return registry.get("wgmon.webhook." + name).tag("receiver", receiverTag).gauge().value();
    }

    /** Registers something to close at the end, in reverse order. */
    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        Collections.reverse(closeables);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        closeables.clear();
    }
}
