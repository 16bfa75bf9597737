package io.wgmon.capture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The counters every packet source keeps, tagged with {@code source}. */
public final class PacketSourceMetrics {
    private final MeterRegistry registry;
    private final String source;
    private final Counter packets;
    private final Counter lost;
    private final Counter errors;

    public PacketSourceMetrics(MeterRegistry registry, String source) {
        this.registry = registry;
        this.source = source;
        this.packets = Counter.builder("wgmon.packets").description("WireGuard packets seen")
                .tag("source", source).register(registry);
        this.lost = Counter.builder("wgmon.packets.lost")
                .description("Times the kernel dropped packets because the receive buffer was full (ENOBUFS)")
                .tag("source", source).register(registry);
        this.errors = Counter.builder("wgmon.packet.source.errors").description("Receive errors other than overruns")
                .tag("source", source).register(registry);
    }

    public void packet() {
        packets.increment();
    }

    public void lost() {
        lost.increment();
    }

    public void error() {
        errors.increment();
    }

    /** A message that could not be used; {@code reason} is a short fixed word, so tags stay few. */
    public void malformed(String reason) {
        Counter.builder("wgmon.packets.malformed").description("Captured messages that were skipped")
                .tag("source", source).tag("reason", reason).register(registry).increment();
    }
}
