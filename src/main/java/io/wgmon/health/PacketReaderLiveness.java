package io.wgmon.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.wgmon.tracking.TrackingView;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/** Alive unless the packet reader died after start-up, or its stream stopped: then a restart is the cure. */
@Liveness
@ApplicationScoped
public class PacketReaderLiveness implements AsyncHealthCheck {
    private final TrackingView tracking;

    public PacketReaderLiveness(TrackingView tracking) {
        this.tracking = tracking;
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
        String failure = tracking.packetPathFailure();
        boolean alive = failure == null && (!tracking.started() || tracking.packetSourceReady());
        HealthCheckResponseBuilder response = HealthCheckResponse.named("wgmon-packet-reader")
                .status(alive)
                .withData("packetSource", tracking.packetSource());
        return failure == null ? response.build() : response.withData("failure", failure).build();
    }
}
