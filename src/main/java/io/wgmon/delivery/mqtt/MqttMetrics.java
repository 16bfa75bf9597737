package io.wgmon.delivery.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** The MQTT sink's meters, tagged {@code broker=<host>:<port>}, beside the webhook receivers' own. */
record MqttMetrics(Counter published, Counter failed, Counter overflow) {

    static MqttMetrics register(MeterRegistry registry, String broker, IntSupplier pending, BooleanSupplier connected) {
        Gauge.builder("wgmon.mqtt.connected", connected, up -> up.getAsBoolean() ? 1 : 0)
                .description("1 while wgmon is connected to the MQTT broker")
                .tag("broker", broker).strongReference(true).register(registry);
        Gauge.builder("wgmon.mqtt.pending", pending, IntSupplier::getAsInt)
                .description("Events in the MQTT outbox: waiting or published and not yet acknowledged")
                .tag("broker", broker).strongReference(true).register(registry);
        return new MqttMetrics(
                counter(registry, "wgmon.mqtt.published", "Events the broker acknowledged (PUBACK)", broker),
                counter(registry, "wgmon.mqtt.failed", "Events dropped because an MQTT 5 broker refused them "
                        + "(an error reason code in the PUBACK)", broker),
                counter(registry, "wgmon.mqtt.overflow", "Events dropped at the outbox's queue-size or "
                        + "spool-max-size bound", broker));
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String broker) {
        return Counter.builder(name).description(description).tag("broker", broker).register(registry);
    }
}
