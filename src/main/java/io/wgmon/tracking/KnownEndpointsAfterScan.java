package io.wgmon.tracking;

import io.wgmon.wireguard.Peer;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * After each scan, on the scan thread, keeps the firewall rules' known endpoints (docs/architecture.md#firewall) to
 * what wgmon has seen, once for the scan:
 * <ul>
 * <li>when the tracker found a peer gone for a reason other than idle, the rules forget their known endpoints. Such a
 * peer may handshake again from the same endpoint while its entry is live; its packets would then not be logged, and
 * each response the server sends would keep the entry alive. Idle needs nothing: an entry lives at most the sets'
 * timeout (at most idle-timeout) after the last handshake, so it has expired by the time the peer is reported
 * idle.</li>
 * <li>an endpoint becomes known only once a scan has seen a peer connected from it: the endpoints of the peers this
 * scan connected or saw roam, and of every connected peer after the baseline scan or a forget, are learned with
 * their peer's last handshake (the rules keep each until that handshake plus their timeout).</li>
 * </ul>
 */
public final class KnownEndpointsAfterScan {
    private final Runnable forget;
    private final Consumer<Map<InetSocketAddress, Instant>> learn;

    /**
     * @param forget empties the rules' known endpoints; may block briefly, must not throw
     * @param learn  makes each endpoint known until its peer's last handshake plus the rules' timeout; may block
     *               briefly, must not throw
     */
    public KnownEndpointsAfterScan(Runnable forget, Consumer<Map<InetSocketAddress, Instant>> learn) {
        this.forget = forget;
        this.learn = learn;
    }

    /** For a capture without the rules' known endpoints (bpf). */
    public static KnownEndpointsAfterScan none() {
        return new KnownEndpointsAfterScan(() -> {
        }, endpoints -> {
        });
    }

    /**
     * @param tracked  the tracker's events of one scan, before the rules that pick what is reported
     * @param baseline whether this was the first scan
     * @param peers    every tracked peer after the scan
     */
    void scanned(List<PeerEvent> tracked, boolean baseline, List<PeerState> peers) {
        boolean forgot = tracked.stream().anyMatch(KnownEndpointsAfterScan::mayComeBackKnown);
        if (forgot) {
            forget.run();
        }
        Map<InetSocketAddress, Instant> connected = new HashMap<>();
        if (baseline || forgot) {
            peers.stream().filter(PeerState::connected).forEach(state -> put(connected, state.last()));
        } else {
            tracked.stream().filter(event -> event.type() == PeerEventType.CONNECTED
                    || event.type() == PeerEventType.ROAMED).forEach(event -> put(connected, event.peer()));
        }
        if (!connected.isEmpty()) {
            learn.accept(connected);
        }
    }

    private static void put(Map<InetSocketAddress, Instant> connected, Peer peer) {
        if (peer != null && peer.endpoint() != null && peer.lastHandshake() != null) {
            connected.merge(peer.endpoint(), peer.lastHandshake(), (a, b) -> a.isBefore(b) ? a : b);
        }
    }

    /** Whether the peer this event reports gone may come back from an endpoint the rules still know. */
    static boolean mayComeBackKnown(PeerEvent event) {
        if (event.type() != PeerEventType.DISCONNECTED || event.reason() == null) {
            return false;
        }
        return switch (event.reason()) {
            case IDLE -> false;
            case REMOVED, INTERFACE_DOWN -> true;
        };
    }
}
