package io.wgmon.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.wgmon.store.StoreDatabase;
import io.wgmon.tracking.MissingRuleDiagnosis;
import io.wgmon.tracking.PeerState;
import io.wgmon.tracking.TrackingView;
import io.wgmon.wireguard.Scan;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Optional;

/**
 * Ready: the packet source is bound and the watched interfaces answered the last scan ({@link ScanReadiness}).
 * A missing capture rule and a failing store are told in its data without making it unready.
 */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements AsyncHealthCheck {
    private final TrackingView tracking;
    private final MissingRuleDiagnosis ruleDiagnosis;
    private final Optional<StoreDatabase> store;

    public PipelineReadiness(TrackingView tracking, MissingRuleDiagnosis ruleDiagnosis, Optional<StoreDatabase> store) {
        this.tracking = tracking;
        this.ruleDiagnosis = ruleDiagnosis;
        this.store = store;
    }

    /**
     * Asynchronous only so that a probe is answered on the event loop and needs no worker thread
     * (docs/architecture.md#threads): the check reads published state and never blocks.
     */
    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().item(this::check);
    }

    private HealthCheckResponse check() {
        boolean bound = tracking.started() && tracking.packetSourceReady();
        Scan scan = tracking.lastScan();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("wgmon")
                .withData("packetSource", tracking.packetSource())
                .withData("packetSourceBound", bound)
                .withData("backends", String.join(",", tracking.backendNames()))
                .withData("connectedPeers", tracking.peers().stream().filter(PeerState::connected).count());
        MissingRuleDiagnosis.Finding missing = ruleDiagnosis.finding();
        if (missing != null) {
            // a diagnosis, not a failure: wgmon still reports what scans find
            response.withData("captureRuleMissing", missing.message());
        }
        // a diagnosis too: delivery goes on from memory, and an unready pod would not be scraped for the metric
        store.flatMap(database -> database.health().failing())
                .ifPresent(failing -> response.withData("storeFailing", failing));
        if (scan == null) {
            return response.status(false).withData("lastScan", "none yet").build();
        }
        ScanReadiness readiness = ScanReadiness.of(scan, tracking.namedInterfaces());
        response.status(bound && readiness.ready())
                .withData("lastScan", scan.time().toString())
                .withData("interfaces", scan.devices().size());
        if (!readiness.problems().isEmpty()) {
            response.withData("scanFailures", String.join("; ", readiness.problems()));
        }
        if (!readiness.warnings().isEmpty()) {
            response.withData("unreadableInterfaces", String.join("; ", readiness.warnings()));
        }
        if (!readiness.missing().isEmpty()) {
            response.withData("missingInterfaces", String.join(",", readiness.missing()));
        }
        return response.build();
    }
}
