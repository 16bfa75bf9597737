package io.wgmon.handshake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/** Failed handshakes' series: reported initiations by mac1 class, tracked and folded sources. */
public final class HandshakeFailureMetrics {
    private final Map<Mac1Class, Counter> initiations = new EnumMap<>(Mac1Class.class);

    public HandshakeFailureMetrics(MeterRegistry registry, FailedHandshakes failed) {
        for (Mac1Class mac1 : Mac1Class.values()) {
            initiations.put(mac1, Counter.builder("wgmon.handshakes.failed")
                    .description("Handshake initiations no session followed, reported in handshake.failed events, by mac1 class")
                    .tag("class", mac1.label()).register(registry));
        }
        Gauge.builder("wgmon.handshakes.failed.sources", failed, FailedHandshakes::trackedSources)
                .description("Source addresses with failed or pending handshake initiations being tracked").register(registry);
        FunctionCounter.builder("wgmon.handshakes.failed.folded", failed, FailedHandshakes::foldedSources)
                .description("Sources of failed handshakes not reported one by one (table full or report budget spent)")
                .register(registry);
    }

    void reported(HandshakeFailure report) {
        initiations.get(Mac1Class.VALID).increment(report.validMac1());
        initiations.get(Mac1Class.INVALID).increment(report.invalidMac1());
        initiations.get(Mac1Class.UNCHECKED).increment(report.unchecked());
    }
}
