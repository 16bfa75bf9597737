package io.wgmon.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.wgmon.config.WgmonConfig;
import io.wgmon.store.SessionTable;
import io.wgmon.store.StoreDatabase;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.tracking.PeerNames;
import io.wgmon.tracking.TrackingView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.Optional;

/**
 * Puts the per-peer series into the Prometheus registry behind /q/metrics, and every event type's
 * counter at 0, so that rates and alerts have a series before the first event.
 */
@ApplicationScoped
public class MetricsBinding {

    void bind(@Observes StartupEvent start, PrometheusMeterRegistry registry, TrackingView tracking,
              PeerNames names, WgmonConfig config, Optional<StoreDatabase> store) {
        WgmonConfig.Metrics metrics = config.metrics();
        new PeerSeries(tracking::peers, names,
                new PeerSeries.Options(metrics.perPeer(), metrics.exporterNames(), metrics.endpointLabel()))
                .register(registry.getPrometheusRegistry());
        if (metrics.perPeer()) {
            PeerSessionSeries sessions = new PeerSessionSeries(tracking::peers, names, Instant::now);
            store.ifPresent(database -> sessions.load(database.call(SessionTable::totals)));
            tracking.events().subscribe().with(sessions::on);
            sessions.register(registry.getPrometheusRegistry());
        }
        for (PeerEventType type : PeerEventType.values()) {
            Counter.builder("wgmon.events").description("Peer events, by type").tag("type", type.wireName())
                    .register(registry);
        }
    }
}
