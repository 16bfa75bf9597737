package io.wgmon.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.wgmon.store.PeerSessionTotals;
import io.wgmon.tracking.DisconnectReason;
import io.wgmon.tracking.OpenSession;
import io.wgmon.tracking.PeerEvent;
import io.wgmon.tracking.PeerEventType;
import io.wgmon.tracking.PeerKey;
import io.wgmon.tracking.PeerState;
import io.wgmon.tracking.SessionTraffic;
import io.wgmon.wireguard.Peer;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions and connected seconds per peer: the kept history, then the events, plus the open session so far. */
class PeerSessionSeriesTest {
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    private static final String BOB = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    private static final PeerKey ALICE_KEY = new PeerKey("wg0", ALICE);

    private final AtomicReference<List<PeerState>> peers = new AtomicReference<>(List.of());
    private final PeerSessionSeries series = new PeerSessionSeries(peers::get,
            key -> key.publicKey().equals(ALICE) ? "alice" : null, () -> NOW);

    private static Peer peer(String key) {
        return new Peer(key, null, List.of(), NOW, 10, 10, 0, 1);
    }

    private static PeerEvent event(PeerEventType type, UUID session, Duration connectedFor) {
        return new PeerEvent(UUID.randomUUID(), type, NOW, "node-1", ALICE_KEY, peer(ALICE), "alice",
                connectedFor == null ? null : DisconnectReason.IDLE, connectedFor, session,
                connectedFor == null ? null : new SessionTraffic(1, 1), null);
    }

    private String scrape() throws Exception {
        CollectorRegistry registry = new CollectorRegistry();
        series.register(registry);
        StringWriter text = new StringWriter();
        TextFormat.write004(text, registry.metricFamilySamples());
        return text.toString();
    }

    @Test
    void keptHistoryThenEventsThenTheOpenSessionSoFar() throws Exception {
        series.load(List.of(new PeerSessionTotals("wg0", ALICE, 3, 600), new PeerSessionTotals("wg0", BOB, 1, 60)));
        UUID session = UUID.randomUUID();
        series.on(event(PeerEventType.CONNECTED, session, null));
        series.on(event(PeerEventType.DISCONNECTED, session, Duration.ofSeconds(100)));
        UUID open = UUID.randomUUID();
        series.on(event(PeerEventType.CONNECTED, open, null));
        peers.set(List.of(new PeerState(ALICE_KEY, peer(ALICE), NOW.minusSeconds(42), NOW, true,
                new OpenSession(open, 0, 0))));
        series.on(new PeerEvent(UUID.randomUUID(), PeerEventType.CONNECTED, NOW, "node-1", new PeerKey("wg0", BOB),
                peer(BOB), null, null, null, null, null, null));

        String text = scrape();
        String alice = "{interface=\"wg0\",public_key=\"" + ALICE + "\",name=\"alice\",}";
        String bob = "{interface=\"wg0\",public_key=\"" + BOB + "\",name=\"\",}";
        for (String line : List.of("wgmon_peer_sessions_total" + alice + " 5.0",
                "wgmon_peer_connected_seconds_total" + alice + " 742.0",
                "wgmon_peer_sessions_total" + bob + " 1.0",
                "wgmon_peer_connected_seconds_total" + bob + " 60.0",
                "# TYPE wgmon_peer_sessions_total counter")) {
            assertTrue(text.lines().anyMatch(line::equals), line + " in\n" + text);
        }
    }
}
