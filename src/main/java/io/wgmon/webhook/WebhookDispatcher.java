package io.wgmon.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.wgmon.tracking.PeerEvent;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Fans peer events out to the configured receivers (ARCHITECTURE §1.5, §4): at-least-once, in order
 * per peer, retried with backoff until the receiver accepts (2xx) or refuses (4xx) the event; each
 * receiver has its own bounded queue. {@link #submit} never blocks. With no receiver each event is
 * logged at INFO as one JSON line.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final Duration DRAIN_POLL = Duration.ofMillis(20);

    private final List<ReceiverQueue> receivers;
    private final PayloadFormat format;
    private final Optional<WebhookSigner> signer;
    private final JsonPayloadFormat logFormat = new JsonPayloadFormat();
    private final ScheduledExecutorService scheduler;

    /**
     * @param receivers  receiver URLs; empty = log events only
     * @param queueSize  events held per receiver (queued or in flight) before new ones are dropped
     * @param sender     not closed by this dispatcher
     */
    public WebhookDispatcher(List<URI> receivers, int queueSize, Backoff backoff, PayloadFormat format,
                             Optional<WebhookSigner> signer, WebhookSender sender, MeterRegistry registry) {
        if (queueSize < 1) {
            throw new IllegalArgumentException("queue size must be at least 1, got " + queueSize);
        }
        this.format = format;
        this.signer = signer;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "wgmon-webhook");
            thread.setDaemon(true);
            return thread;
        });
        List<String> tags = Receivers.tags(receivers);
        this.receivers = IntStream.range(0, receivers.size())
                .mapToObj(i -> new ReceiverQueue(receivers.get(i), tags.get(i), queueSize, sender, backoff, scheduler,
                        registry))
                .toList();
    }

    /** Queues the event for every receiver and returns at once. Never throws for a bad event. */
    public void submit(PeerEvent event) {
        try {
            if (receivers.isEmpty()) {
                LOG.info(logFormat.renderText(event));
                return;
            }
            Delivery delivery = render(event);
            for (ReceiverQueue receiver : receivers) {
                receiver.offer(delivery);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot deliver event %s; dropped", event);
        }
    }

    /** Events queued or in flight, summed over all receivers. */
    public int pending() {
        return receivers.stream().mapToInt(ReceiverQueue::pending).sum();
    }

    /**
     * Waits until nothing is pending or the timeout passed; for shutdown, never call it on an event-loop
     * thread.
     *
     * @return whether everything was delivered
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(DRAIN_POLL.toNanos());
        }
        return true;
    }

    /** Stops all deliveries at once; what is still pending is lost and logged. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        int lost = receivers.stream().mapToInt(ReceiverQueue::close).sum();
        if (lost > 0) {
            LOG.warnf("webhook dispatcher stopped with %d undelivered events", lost);
        }
    }

    private Delivery render(PeerEvent event) {
        Payload payload = format.render(event);
        String signature = signer.map(s -> s.sign(payload.body())).orElse(null);
        return new Delivery(event, payload,
                new DeliveryHeaders(event.type().wireName(), event.id().toString(), signature));
    }
}
