package io.wgmon.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Double quotes out of meter descriptions. Micrometer's ProcessorMetrics, which Quarkus binds, describes
 * process_cpu_usage, process_cpu_time_ns and system_cpu_usage with quoted words, and the registry writes
 * them into HELP as {@code \"}, an escape the text format 0.0.4 does not have: promtool (2.42) and
 * other strict parsers refuse the whole scrape (docs/architecture.md#surfaces). wgmon's own texts have none.
 */
@ApplicationScoped
public class PlainHelpTexts {

    @Produces
    @Singleton
    MeterFilter withoutDoubleQuotes() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String description = id.getDescription();
                if (description == null || description.indexOf('"') < 0) {
                    return id;
                }
                return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                        description.replace('"', '\''), id.getType());
            }
        };
    }
}
