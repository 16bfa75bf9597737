package io.wgmon.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.IntSupplier;

/** The per-receiver webhook meters, tagged {@code receiver=<host[:port]>}. */
record ReceiverMetrics(Counter delivered, Counter retries, Counter failed, Counter overflow, Gauge pending) {

    static ReceiverMetrics register(MeterRegistry registry, String receiver, IntSupplier pending) {
        return new ReceiverMetrics(
                counter(registry, "wgmon.webhook.delivered", "Events the receiver accepted (2xx)", receiver),
                counter(registry, "wgmon.webhook.retries", "Attempts that will be retried", receiver),
                counter(registry, "wgmon.webhook.failed", "Events dropped because the receiver refused them (4xx)", receiver),
                counter(registry, "wgmon.webhook.overflow", "Events dropped because the queue was full", receiver),
                Gauge.builder("wgmon.webhook.pending", pending, IntSupplier::getAsInt)
                        .description("Events queued or in flight for this receiver")
                        .tag("receiver", receiver)
                        .strongReference(true)
                        .register(registry));
    }

    /** The gauge would keep a closed queue alive and report it; the counters stay (they are totals). */
    void unregisterGauge(MeterRegistry registry) {
        registry.remove(pending);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String receiver) {
        return Counter.builder(name).description(description).tag("receiver", receiver).register(registry);
    }
}
