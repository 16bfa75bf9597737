package io.wgmon.api;

import io.wgmon.tracking.PeerNames;
import io.wgmon.tracking.TrackingView;
import io.wgmon.wireguard.Scan;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

@Path("/api/peers")
public class PeersResource {
    private final TrackingView tracking;
    private final PeerNames names;

    public PeersResource(TrackingView tracking, PeerNames names) {
        this.tracking = tracking;
        this.names = names;
    }

    /** Every peer of the watched interfaces as of the last scan. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<PeerView> peers() {
        return peersWhere(view -> true);
    }

    /** The peers of one interface as of the last scan; 404 when the last scan did not see the interface. */
    @GET
    @Path("/{interface}")
    @Produces(MediaType.APPLICATION_JSON)
    public List<PeerView> peersOf(@PathParam("interface") String interfaceName) {
        List<PeerView> peers = peersWhere(view -> view.interfaceName().equals(interfaceName));
        Scan last = tracking.lastScan();
        if (peers.isEmpty() && (last == null || last.devices().stream().noneMatch(d -> d.name().equals(interfaceName)))) {
            throw new NotFoundException("no watched WireGuard interface " + interfaceName);
        }
        return peers;
    }

    private List<PeerView> peersWhere(Predicate<PeerView> wanted) {
        return tracking.peers().stream()
                .map(state -> PeerView.of(state, names))
                .filter(wanted)
                .sorted(Comparator.comparing(PeerView::interfaceName).thenComparing(PeerView::publicKey))
                .toList();
    }
}
