package io.wgmon.delivery.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** The per-receiver webhook meters, tagged {@code receiver=<host[:port]>} or the receiver's name. */
public record ReceiverMetrics(Counter delivered, Counter retries, Counter failed, Counter overflow, Counter expired,
                       Counter poisoned, Gauge pending, Gauge circuitOpen, Gauge disabled) {

    static ReceiverMetrics register(MeterRegistry registry, String receiver, IntSupplier pending,
                                    BooleanSupplier circuitOpen, BooleanSupplier disabled) {
        return new ReceiverMetrics(
                counter(registry, "wgmon.webhook.delivered", "Events the receiver accepted (2xx)", receiver),
                counter(registry, "wgmon.webhook.retries", "Attempts that will be retried", receiver),
                counter(registry, "wgmon.webhook.failed", "Events dropped because the receiver refused them (4xx)", receiver),
                counter(registry, "wgmon.webhook.overflow",
                        "Events dropped at the queue-size or spool-max-size bound", receiver),
                counter(registry, "wgmon.webhook.expired", "Events dropped because they were older than max-age",
                        receiver),
                counter(registry, "wgmon.webhook.poisoned", "Events set aside at start-up, never sent again: they "
                        + "were on the wire each of the last times wgmon ended", receiver),
                Gauge.builder("wgmon.webhook.pending", pending, IntSupplier::getAsInt)
                        .description("Events queued or in flight for this receiver")
                        .tag("receiver", receiver)
                        .strongReference(true)
                        .register(registry),
                Gauge.builder("wgmon.webhook.circuit.open", circuitOpen, open -> open.getAsBoolean() ? 1 : 0)
                        .description("1 while the receiver failed too often in a row and is only probed")
                        .tag("receiver", receiver)
                        .strongReference(true)
                        .register(registry),
                Gauge.builder("wgmon.webhook.disabled", disabled, gone -> gone.getAsBoolean() ? 1 : 0)
                        .description("1 once the receiver answered 410 Gone: nothing more is sent to it")
                        .tag("receiver", receiver)
                        .strongReference(true)
                        .register(registry));
    }

    /** The gauges would keep a closed queue alive and report it; the counters stay (they are totals). */
    void unregisterGauges(MeterRegistry registry) {
        registry.remove(pending);
        registry.remove(circuitOpen);
        registry.remove(disabled);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String receiver) {
        return Counter.builder(name).description(description).tag("receiver", receiver).register(registry);
    }
}
