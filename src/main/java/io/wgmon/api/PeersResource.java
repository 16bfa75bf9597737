package io.wgmon.api;

import io.wgmon.tracking.TrackingService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Comparator;
import java.util.List;

@Path("/api/peers")
public class PeersResource {
    private final TrackingService tracking;

    public PeersResource(TrackingService tracking) {
        this.tracking = tracking;
    }

    /** Every peer of the watched interfaces as of the last scan. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<PeerView> peers() {
        return tracking.peers().stream()
                .map(PeerView::of)
                .sorted(Comparator.comparing(PeerView::interfaceName).thenComparing(PeerView::publicKey))
                .toList();
    }
}
