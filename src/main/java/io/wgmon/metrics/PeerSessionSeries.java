package io.wgmon.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.wgmon.store.PeerSessionTotals;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.tracking.PeerKey;
import io.wgmon.tracking.PeerNames;
import io.wgmon.tracking.PeerState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code wgmon_peer_sessions_total} and {@code wgmon_peer_connected_seconds_total} per peer
 * (docs/architecture.md#surfaces), in the manner of {@link PeerSeries}: made at scrape time, never reading
 * the store or WireGuard. The totals are the kept history's, read once at start, then counted from the
 * events: a connect adds a session, a disconnect its seconds; an open session adds its seconds so far.
 */
public final class PeerSessionSeries extends Collector {
    private static final List<String> LABELS = List.of("interface", "public_key", "name");

    private record Totals(long sessions, long endedSeconds) {
    }

    private final Supplier<List<PeerState>> peers;
    private final PeerNames names;
    private final Supplier<Instant> now;
    private final Map<PeerKey, Totals> totals = new ConcurrentHashMap<>();

    public PeerSessionSeries(Supplier<List<PeerState>> peers, PeerNames names, Supplier<Instant> now) {
        this.peers = peers;
        this.names = names;
        this.now = now;
    }

    /** The history kept in the store, before the first event. */
    public void load(List<PeerSessionTotals> kept) {
        for (PeerSessionTotals peer : kept) {
            totals.put(new PeerKey(peer.interfaceName(), peer.publicKey()),
                    new Totals(peer.sessions(), peer.endedSeconds()));
        }
    }

    /** On the scan thread, after the event's commit. */
    public void on(PeerEvent event) {
        if (event.sessionId() == null) {
            return;
        }
        if (event.type() == PeerEventType.CONNECTED) {
            totals.merge(event.key(), new Totals(1, 0), PeerSessionSeries::sum);
        } else if (event.type() == PeerEventType.DISCONNECTED && event.connectedFor() != null) {
            totals.merge(event.key(), new Totals(0, event.connectedFor().getSeconds()), PeerSessionSeries::sum);
        }
    }

    private static Totals sum(Totals a, Totals b) {
        return new Totals(a.sessions() + b.sessions(), a.endedSeconds() + b.endedSeconds());
    }

    @Override
    public List<MetricFamilySamples> collect() {
        Instant at = now.get();
        Map<PeerKey, Long> open = new HashMap<>();
        for (PeerState state : peers.get()) {
            if (state.session() != null && state.connectedSince() != null) {
                open.put(state.key(), Math.max(0, Duration.between(state.connectedSince(), at).getSeconds()));
            }
        }
        CounterMetricFamily sessions = new CounterMetricFamily("wgmon_peer_sessions",
                "Sessions of the peer: those kept in the history at start, and every connect since", LABELS);
        CounterMetricFamily seconds = new CounterMetricFamily("wgmon_peer_connected_seconds",
                "Seconds the peer was connected, over the sessions counted in wgmon_peer_sessions_total", LABELS);
        List<PeerKey> keys = new ArrayList<>(totals.keySet());
        keys.sort(Comparator.comparing(PeerKey::interfaceName).thenComparing(PeerKey::publicKey));
        for (PeerKey key : keys) {
            Totals peer = totals.get(key);
            String name = names.nameOf(key);
            List<String> labels = List.of(key.interfaceName(), key.publicKey(), name == null ? "" : name);
            sessions.addMetric(labels, peer.sessions());
            seconds.addMetric(labels, peer.endedSeconds() + open.getOrDefault(key, 0L));
        }
        return List.of(sessions, seconds);
    }
}
