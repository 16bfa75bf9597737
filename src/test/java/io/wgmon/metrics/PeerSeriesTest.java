package io.wgmon.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.wgmon.tracking.PeerKey;
import io.wgmon.tracking.PeerNames;
import io.wgmon.tracking.PeerState;
import io.wgmon.wireguard.Peer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerSeriesTest {
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    private static final String BOB = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final Instant HANDSHAKE = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant SINCE = Instant.parse("2026-03-01T10:00:01Z");
    private static final PeerNames NAMES = key -> key.publicKey().equals(ALICE) ? "alice" : null;

    private final AtomicReference<List<PeerState>> published = new AtomicReference<>(List.of(
            new PeerState(new PeerKey("wg0", ALICE), peer(ALICE, HANDSHAKE, 1200, 3400), SINCE, SINCE, true, null),
            new PeerState(new PeerKey("wg0", BOB), peer(BOB, null, 0, 0), null, null, false, null)));

    @Test
    void everyPeerHasItsSeriesWithInterfaceKeyAndName() throws IOException {
        String text = scrape(new PeerSeries.Options(true, false, false));
        String alice = "{interface=\"wg0\",public_key=\"" + ALICE + "\",name=\"alice\",}";
        String bob = "{interface=\"wg0\",public_key=\"" + BOB + "\",name=\"\",}";
        assertLines(text,
                "wgmon_peer_up" + alice + " 1.0",
                "wgmon_peer_up" + bob + " 0.0",
                "wgmon_peer_last_handshake_seconds" + alice + " " + (double) HANDSHAKE.getEpochSecond(),
                "wgmon_peer_last_handshake_seconds" + bob + " 0.0",
                "wgmon_peer_connected_since_seconds" + alice + " " + (double) SINCE.getEpochSecond(),
                "wgmon_peer_connected_since_seconds" + bob + " 0.0",
                "wgmon_peer_receive_bytes_total" + alice + " 1200.0",
                "wgmon_peer_transmit_bytes_total" + alice + " 3400.0",
                "# TYPE wgmon_peer_receive_bytes_total counter",
                "wgmon_interface_peers{interface=\"wg0\",} 2.0",
                "wgmon_interface_peers_connected{interface=\"wg0\",} 1.0");
        assertFalse(text.contains("endpoint"), "no endpoint label unless asked");
        assertFalse(text.contains("wireguard_"), "no exporter names unless asked");
    }

    @Test
    void aPeerThatLeftIsGoneFromTheNextScrape() throws IOException {
        PeerSeries.Options options = new PeerSeries.Options(true, false, false);
        assertTrue(scrape(options).contains(BOB));
        published.set(List.of(published.get().get(0)));
        String text = scrape(options);
        assertFalse(text.contains(BOB), text);
        assertLines(text, "wgmon_interface_peers{interface=\"wg0\",} 1.0");
    }

    @Test
    void theSwitchesAddTheEndpointAndTheExporterNamesOrLeaveThePeersOut() throws IOException {
        String withAll = scrape(new PeerSeries.Options(true, true, true));
        assertLines(withAll,
                "wgmon_peer_up{interface=\"wg0\",public_key=\"" + ALICE + "\",name=\"alice\",endpoint=\"192.0.2.2:51820\",} 1.0",
                "wireguard_sent_bytes_total{interface=\"wg0\",public_key=\"" + ALICE
                        + "\",allowed_ips=\"10.10.10.2/32\",friendly_name=\"alice\",} 3400.0",
                "wireguard_received_bytes_total{interface=\"wg0\",public_key=\"" + ALICE
                        + "\",allowed_ips=\"10.10.10.2/32\",friendly_name=\"alice\",} 1200.0",
                "wireguard_latest_handshake_seconds{interface=\"wg0\",public_key=\"" + ALICE
                        + "\",allowed_ips=\"10.10.10.2/32\",friendly_name=\"alice\",} " + (double) HANDSHAKE.getEpochSecond());
        String without = scrape(new PeerSeries.Options(false, false, false));
        assertFalse(without.contains("wgmon_peer_"), without);
        assertLines(without, "wgmon_interface_peers_connected{interface=\"wg0\",} 1.0");
    }

    @Test
    void tenThousandPeersScrapeInOnePass() throws IOException {
        List<PeerState> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String key = String.format("%043d=", i);
            many.add(new PeerState(new PeerKey("wg0", key), peer(key, HANDSHAKE, i, i), i % 2 == 0 ? SINCE : null, null, true, null));
        }
        published.set(many);
        String text = "";
        for (int round = 1; round <= 3; round++) { // the first includes class loading and JIT warm-up
            long start = System.nanoTime();
            text = scrape(new PeerSeries.Options(true, false, false));
            System.out.printf("PeerSeries: scrape %d of 10,000 peers took %d ms, %d KiB of text%n", round,
                    (System.nanoTime() - start) / 1_000_000, text.length() / 1024);
        }
        assertEquals(10_000, text.lines().filter(line -> line.startsWith("wgmon_peer_up{")).count());
        assertLines(text, "wgmon_interface_peers_connected{interface=\"wg0\",} 5000.0");
    }

    private String scrape(PeerSeries.Options options) throws IOException {
        CollectorRegistry registry = new CollectorRegistry();
        new PeerSeries(published::get, NAMES, options).register(registry);
        StringWriter out = new StringWriter();
        TextFormat.write004(out, registry.metricFamilySamples());
        return out.toString();
    }

    private static void assertLines(String text, String... lines) {
        List<String> all = text.lines().toList();
        for (String line : lines) {
            assertTrue(all.contains(line), line + " missing from\n" + text);
        }
    }

    private static Peer peer(String key, Instant handshake, long rx, long tx) {
        return new Peer(key, new InetSocketAddress("192.0.2.2", 51820), List.of("10.10.10.2/32"), handshake, rx, tx, 0, 1);
    }
}
