package io.wgmon.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.delivery.TestReceiver.Reply;
import io.wgmon.delivery.TestReceiver.Request;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.format.PayloadFormat;
import io.wgmon.delivery.format.WebhookSigner;
import io.wgmon.delivery.http.RestClientWebhookSender;
import io.wgmon.delivery.http.WebhookTls;
import io.wgmon.delivery.queue.DeliveryPolicy;
import io.wgmon.delivery.queue.ReceiverContexts;
import io.wgmon.timing.Backoff;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;

/** Builds dispatchers with the real REST-client sender and real receivers, and closes them all at the end. */
public final class DispatcherFixture implements AutoCloseable {
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<Path, StoreDatabase> stores = new HashMap<>();

    public TestReceiver receiver(Function<Request, Reply> responder) throws IOException {
        return closeLater(TestReceiver.start(responder));
    }

    public TestReceiver receiver(int port, Function<Request, Reply> responder) throws IOException {
        return closeLater(TestReceiver.start(port, responder));
    }

    public RestClientWebhookSender sender() {
        return closeLater(new RestClientWebhookSender(Duration.ofMillis(500), Duration.ofSeconds(2), "wgmon/test", WebhookTls.jvmTrustStore()));
    }

    /** A policy and, with a spool, the store's folder and bound. */
    public record Setup(DeliveryPolicy policy, Optional<Spool> spool) {
    }

    public record Spool(Path dir, long maxBytes) {
    }

    public WebhookDispatcher dispatcher(List<WebhookReceiver> receivers, Setup setup) {
        Optional<StoreDatabase> store = setup.spool().map(spool -> store(spool.dir()));
        return closeLater(new WebhookDispatcher(receivers, setup.policy(), store, contexts(), sender(), registry));
    }

    /**
     * The store in {@code dir}, opened once and closed after every dispatcher on it: a dispatcher that is
     * closed and made again finds what its predecessor left, as after a restart of wgmon.
     */
    public StoreDatabase store(Path dir) {
        return stores.computeIfAbsent(dir, open -> closeLater(StoreDatabase.open(open)));
    }

    /** Quarkus's Vert.x: receiver contexts and the production timers run on it, as in wgmon. */
    public static Vertx vertx() {
        return Arc.container().instance(Vertx.class).get();
    }

    public static ReceiverContexts contexts() {
        return ReceiverContexts.on(vertx());
    }

    /** Real time on Vert.x timers, for tests whose waits are short. */
    public static Timers realTime() {
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

    /** Receivers of plain URLs, tagged as {@code wgmon.webhook.url}'s are, all with one format and signer. */
    static List<WebhookReceiver> byUrl(List<URI> urls, PayloadFormat format, Optional<WebhookSigner> signer) {
        List<String> tags = Receivers.tags(urls);
        return IntStream.range(0, urls.size())
                .mapToObj(i -> WebhookReceiver.ofUrl(urls.get(i), tags.get(i), Map.of(), format, signer))
                .toList();
    }

    /** Events kept until delivered however old, the circuit after 5 failures, memory only. */
    static DeliveryPolicy memoryPolicy(int queueSize, Backoff backoff, Timers timers) {
        return new DeliveryPolicy(queueSize, backoff, 5, Duration.ofSeconds(Long.MAX_VALUE), 1L << 20, timers);
    }

    static WebhookReceiver json(String name, URI url) {
        return WebhookReceiver.named(name, url, Map.of(), new JsonPayloadFormat(), Optional.empty());
    }

    /** Fast retries (10..200 ms), circuit after 5 failures, a day of max age, real time. */
    public static Setup policy(Optional<Spool> spool) {
        return policy(spool, Duration.ofMillis(200), Duration.ofDays(1), realTime());
    }

    public static Setup policy(Optional<Spool> spool, Duration retryMax, Duration maxAge, Timers timers) {
        return new Setup(new DeliveryPolicy(1000, new Backoff(Duration.ofMillis(10), retryMax, new Random()), 5, maxAge,
                spool.map(Spool::maxBytes).orElse(1L << 20), timers), spool);
    }

    public static Optional<Spool> spool(Path dir, long maxBytes) {
        return Optional.of(new Spool(dir, maxBytes));
    }

    public double count(String name, String receiverTag) {
        return registry.get("wgmon.webhook." + name).tag("receiver", receiverTag).counter().count();
    }

    public double gauge(String name, String receiverTag) {
        return registry.get("wgmon.webhook." + name).tag("receiver", receiverTag).gauge().value();
    }

    /** Registers something to close at the end, in reverse order. */
    public <T extends AutoCloseable> T closeLater(T closeable) {
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
