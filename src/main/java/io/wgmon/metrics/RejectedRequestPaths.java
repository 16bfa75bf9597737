package io.wgmon.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keeps request paths that anyone can make up out of metric tags (docs/architecture.md#surfaces): the gate
 * answers 401, 403, 421 and 429 before any route matched, so Quarkus tags {@code http.server.requests}
 * with the raw path, and a stranger could fill the registry (and the uri tag's cap) with paths of his
 * choosing. An error answer keeps its {@code uri} only for wgmon's own routes; any other becomes
 * {@link #UNMATCHED}.
 */
@ApplicationScoped
public class RejectedRequestPaths {
    static final String UNMATCHED = "UNMATCHED";
    private static final String METER = "http.server.requests";
    private static final Set<String> ROUTES = Set.of("/", "/login", "/logout", "/api/peers", "/api/peers/{interface}",
            "/api/events", "/q/metrics", "/q/openapi", "/q/health", "/q/health/live", "/q/health/ready",
            "/q/health/started");

    @Produces
    @Singleton
    MeterFilter rejectedPathsAsOneTag() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!METER.equals(id.getName())) {
                    return id;
                }
                String status = id.getTag("status");
                String uri = id.getTag("uri");
                if (status == null || uri == null || status.compareTo("400") < 0 || ROUTES.contains(uri)) {
                    return id;
                }
                List<Tag> tags = new ArrayList<>();
                for (Tag tag : id.getTagsAsIterable()) {
                    tags.add(tag.getKey().equals("uri") ? Tag.of("uri", UNMATCHED) : tag);
                }
                return id.replaceTags(tags);
            }
        };
    }
}
