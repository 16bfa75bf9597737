package io.wgmon.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import io.wgmon.tracking.PeerNames;
import io.wgmon.tracking.PeerState;
import io.wgmon.wireguard.Peer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The per-peer and per-interface series of /q/metrics (docs/architecture.md#surfaces), made at scrape time
 * from the peer states the last scan published: no scan of its own, nothing per scan, no meter per
 * peer (10,000 peers would be 50,000 meters kept in a 64 MiB heap). A scrape at rest serves the last
 * scan's values; a peer that left its interface is gone from the next scrape.
 */
public final class PeerSeries extends Collector {
    private static final List<String> PEER_LABELS = List.of("interface", "public_key", "name");
    private static final List<String> UP_LABELS_WITH_ENDPOINT = List.of("interface", "public_key", "name", "endpoint");
    private static final List<String> EXPORTER_LABELS = List.of("interface", "public_key", "allowed_ips", "friendly_name");
    private static final List<String> INTERFACE_LABELS = List.of("interface");

    /** What to include: the switches of wgmon.metrics.*. */
    public record Options(boolean perPeer, boolean exporterNames, boolean endpointLabel) {
    }

    private final Supplier<List<PeerState>> peers;
    private final PeerNames names;
    private final Options options;

    public PeerSeries(Supplier<List<PeerState>> peers, PeerNames names, Options options) {
        this.peers = peers;
        this.names = names;
        this.options = options;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<PeerState> states = peers.get();
        List<MetricFamilySamples> families = new ArrayList<>(interfaceFamilies(states));
        if (options.perPeer()) {
            families.addAll(peerFamilies(states));
        }
        if (options.exporterNames()) {
            families.addAll(exporterFamilies(states));
        }
        return families;
    }

    private static List<MetricFamilySamples> interfaceFamilies(List<PeerState> states) {
        Map<String, int[]> counts = new TreeMap<>();
        for (PeerState state : states) {
            int[] count = counts.computeIfAbsent(state.key().interfaceName(), name -> new int[2]);
            count[0]++;
            count[1] += state.connected() ? 1 : 0;
        }
        GaugeMetricFamily peers = new GaugeMetricFamily("wgmon_interface_peers",
                "Peers of a watched WireGuard interface, as of the last scan", INTERFACE_LABELS);
        GaugeMetricFamily connected = new GaugeMetricFamily("wgmon_interface_peers_connected",
                "Connected peers of a watched WireGuard interface, as of the last scan", INTERFACE_LABELS);
        counts.forEach((name, count) -> {
            peers.addMetric(List.of(name), count[0]);
            connected.addMetric(List.of(name), count[1]);
        });
        return List.of(peers, connected);
    }

    private List<MetricFamilySamples> peerFamilies(List<PeerState> states) {
        GaugeMetricFamily up = new GaugeMetricFamily("wgmon_peer_up",
                "1 while wgmon counts the peer connected, else 0", options.endpointLabel() ? UP_LABELS_WITH_ENDPOINT : PEER_LABELS);
        GaugeMetricFamily handshake = new GaugeMetricFamily("wgmon_peer_last_handshake_seconds",
                "Unix time of the peer's latest handshake, 0 for never", PEER_LABELS);
        GaugeMetricFamily since = new GaugeMetricFamily("wgmon_peer_connected_since_seconds",
                "Unix time the peer's connection began, 0 while not connected", PEER_LABELS);
        CounterMetricFamily received = new CounterMetricFamily("wgmon_peer_receive_bytes",
                "Bytes received from the peer, as WireGuard counts them", PEER_LABELS);
        CounterMetricFamily sent = new CounterMetricFamily("wgmon_peer_transmit_bytes",
                "Bytes sent to the peer, as WireGuard counts them", PEER_LABELS);
        for (PeerState state : states) {
            Peer peer = state.last();
            List<String> labels = List.of(state.key().interfaceName(), peer.publicKey(), nameOf(state));
            up.addMetric(options.endpointLabel() ? withEndpoint(labels, peer) : labels, state.connected() ? 1 : 0);
            handshake.addMetric(labels, epochSeconds(peer.lastHandshake()));
            since.addMetric(labels, epochSeconds(state.connectedSince()));
            received.addMetric(labels, peer.rxBytes());
            sent.addMetric(labels, peer.txBytes());
        }
        return List.of(up, handshake, since, received, sent);
    }

    /** prometheus_wireguard_exporter's names and labels, so dashboards made for it work unchanged. */
    private List<MetricFamilySamples> exporterFamilies(List<PeerState> states) {
        CounterMetricFamily sent = new CounterMetricFamily("wireguard_sent_bytes",
                "Bytes sent to the peer", EXPORTER_LABELS);
        CounterMetricFamily received = new CounterMetricFamily("wireguard_received_bytes",
                "Bytes received from the peer", EXPORTER_LABELS);
        GaugeMetricFamily handshake = new GaugeMetricFamily("wireguard_latest_handshake_seconds",
                "Unix time of the peer's latest handshake, 0 for never", EXPORTER_LABELS);
        for (PeerState state : states) {
            Peer peer = state.last();
            List<String> labels = List.of(state.key().interfaceName(), peer.publicKey(),
                    String.join(",", peer.allowedIps()), nameOf(state));
            sent.addMetric(labels, peer.txBytes());
            received.addMetric(labels, peer.rxBytes());
            handshake.addMetric(labels, epochSeconds(peer.lastHandshake()));
        }
        return List.of(sent, received, handshake);
    }

    private String nameOf(PeerState state) {
        String name = names.nameOf(state.key());
        return name == null ? "" : name;
    }

    private static List<String> withEndpoint(List<String> labels, Peer peer) {
        List<String> all = new ArrayList<>(labels);
        all.add(peer.endpointText() == null ? "" : peer.endpointText());
        return all;
    }

    private static double epochSeconds(Instant time) {
        return time == null ? 0 : time.getEpochSecond();
    }
}
