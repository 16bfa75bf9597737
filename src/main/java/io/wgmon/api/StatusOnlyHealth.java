package io.wgmon.api;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * Health as a client not on loopback sees it (docs/architecture.md#surfaces): the status and the code
 * (200 UP, 503 DOWN) that probes act on, without the checks' data (connected peers, the last scan's
 * time, the packet source, interface names), which tells an outsider when the VPN is used.
 */
@Singleton
public class StatusOnlyHealth {
    private final SmallRyeHealthReporter reporter;

    public StatusOnlyHealth(SmallRyeHealthReporter reporter) {
        this.reporter = reporter;
    }

    /** Answers a request to the health tree; a path other than the standard checks is 404. */
    void answer(RoutingContext context) {
        Uni<SmallRyeHealth> health = switch (context.normalizedPath()) {
            case "/q/health", "/q/health/" -> reporter.getHealthAsync();
            case "/q/health/live" -> reporter.getLivenessAsync();
            case "/q/health/ready" -> reporter.getReadinessAsync();
            case "/q/health/started" -> reporter.getStartupAsync();
            case "/q/health/well" -> reporter.getWellnessAsync();
            default -> null;
        };
        if (health == null) {
            context.response().setStatusCode(404).end();
            return;
        }
        health.subscribe().with(result -> context.response()
                        .setStatusCode(result.isDown() ? 503 : 200)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8")
                        .putHeader("Cache-Control", "no-store")
                        .end("{\"status\":\"" + (result.isDown() ? "DOWN" : "UP") + "\"}"),
                context::fail);
    }
}
