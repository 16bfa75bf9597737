package io.wgmon.webhook;

import io.wgmon.timing.Backoff;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.webhook.TestReceiver.Reply;
import io.wgmon.webhook.TestReceiver.Request;

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
        return closeLater(new RestClientWebhookSender(Duration.ofMillis(500), Duration.ofSeconds(2), "wgmon/test"));
    }

    WebhookDispatcher dispatcher(List<WebhookReceiver> receivers, DeliveryPolicy policy) {
        return closeLater(new WebhookDispatcher(receivers, policy, sender(), registry));
    }

    static WebhookReceiver json(String name, URI url) {
        return WebhookReceiver.named(name, url, Map.of(), new JsonPayloadFormat(), Optional.empty());
    }

    /** Fast retries (10..200 ms), circuit after 5 failures, a day of max age, system clock. */
    static DeliveryPolicy policy(Optional<DeliveryPolicy.Spooling> spool) {
        return policy(spool, Duration.ofMillis(200), Duration.ofDays(1), Clock.systemUTC());
    }

    static DeliveryPolicy policy(Optional<DeliveryPolicy.Spooling> spool, Duration retryMax, Duration maxAge,
                                 Clock clock) {
        return new DeliveryPolicy(1000, new Backoff(Duration.ofMillis(10), retryMax, new Random()), 5, maxAge, spool,
                clock);
    }

    static Optional<DeliveryPolicy.Spooling> spool(Path dir, long maxBytes, Fsync fsync) {
        return Optional.of(new DeliveryPolicy.Spooling(dir, maxBytes, fsync));
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
