package io.wgmon.api;

import io.wgmon.tracking.ExpectationRules;
import io.wgmon.tracking.HistoryWatch;
import io.wgmon.tracking.PeerKey;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The peers the status page marks (docs/architecture.md#expectations): down, over a quota threshold, stale,
 * never connected; as of the last scan. Peers without a mark are left out.
 */
@Path("/api/expectations")
public class ExpectationsResource {
    /** @param quotaPercent the highest quota threshold reached in the peer's current period, null when none */
    public record Marks(String interfaceName, String publicKey, boolean down, Integer quotaPercent, boolean stale,
                        boolean neverConnected) {
    }

    private final ExpectationRules expectations;
    private final HistoryWatch history;

    public ExpectationsResource(ExpectationRules expectations, HistoryWatch history) {
        this.expectations = expectations;
        this.history = history;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Marks> marks() {
        Set<PeerKey> down = expectations.down();
        Map<PeerKey, Integer> quota = expectations.quotaReached();
        Map<PeerKey, Boolean> stale = history.stale();
        Set<PeerKey> marked = new TreeSet<>(Comparator.comparing(PeerKey::interfaceName)
                .thenComparing(PeerKey::publicKey));
        marked.addAll(down);
        marked.addAll(quota.keySet());
        marked.addAll(stale.keySet());
        return marked.stream().map(key -> new Marks(key.interfaceName(), key.publicKey(), down.contains(key),
                quota.get(key), stale.containsKey(key), Boolean.TRUE.equals(stale.get(key)))).toList();
    }
}
