package io.wgmon.tracking;

import java.util.List;

/**
 * After each scan, on the scan thread: when the tracker found a peer gone for a reason other than idle, the firewall
 * rules are told to forget their known endpoints, once for the scan (docs/architecture.md#firewall). Such a peer may
 * handshake again from the same endpoint while its entry is live; its packets would then not be logged, and each
 * response the server sends would keep the entry alive. Idle needs nothing: an entry lives at most idle-timeout
 * after the last handshake the server answered, so it has expired by the time the peer is reported idle.
 */
public final class KnownEndpointsOnDisconnect {
    private final Runnable forget;

    /** @param forget empties the rules' known endpoints; may block briefly, must not throw */
    public KnownEndpointsOnDisconnect(Runnable forget) {
        this.forget = forget;
    }

    /** For a capture without the rules' known endpoints (bpf). */
    public static KnownEndpointsOnDisconnect none() {
        return new KnownEndpointsOnDisconnect(() -> {
        });
    }

    /** @param tracked the tracker's events of one scan, before the rules that pick what is reported */
    void scanned(List<PeerEvent> tracked) {
        if (tracked.stream().anyMatch(KnownEndpointsOnDisconnect::mayComeBackKnown)) {
            forget.run();
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
