package io.wgmon.health;

import io.wgmon.tracking.PeerState;
import io.wgmon.tracking.TrackingService;
import io.wgmon.wireguard.Scan;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.stream.Collectors;

/** Ready: the packet source is bound and WireGuard answered the last scan in full. */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements HealthCheck {
    private final TrackingService tracking;

    public PipelineReadiness(TrackingService tracking) {
        this.tracking = tracking;
    }

    @Override
    public HealthCheckResponse call() {
        boolean bound = tracking.started() && tracking.source().isReady();
        Scan scan = tracking.lastScan();
        boolean answered = scan != null && scan.complete();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("wgmon")
                .status(bound && answered)
                .withData("packetSource", tracking.source().describe())
                .withData("packetSourceBound", bound)
                .withData("backends", String.join(",", tracking.backendNames()))
                .withData("connectedPeers", tracking.peers().stream().filter(PeerState::connected).count());
        if (scan == null) {
            return response.withData("lastScan", "none yet").build();
        }
        response.withData("lastScan", scan.time().toString())
                .withData("interfaces", scan.devices().size());
        if (!scan.complete()) {
            response.withData("scanFailures", scan.failures().stream()
                    .map(f -> (f.interfaceName() == null ? "" : f.interfaceName() + ": ") + f.message())
                    .collect(Collectors.joining("; ")));
        }
        return response.build();
    }
}
