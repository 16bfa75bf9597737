package io.wgmon.tracking;

import io.wgmon.wireguard.Peer;

import java.util.UUID;

/**
 * A reported session of a connected peer (docs/architecture.md#tracker): its id, shared by the session's
 * connect, roamed and disconnect events and its {@code session} row, and the peer's counters when it began.
 * Counters only grow within a session (going back ends it), so its bytes are the growth since.
 */
public record OpenSession(UUID id, long rxAtStart, long txAtStart) {
    public long rxBytes(Peer now) {
        return Math.max(0, now.rxBytes() - rxAtStart);
    }

    public long txBytes(Peer now) {
        return Math.max(0, now.txBytes() - txAtStart);
    }
}
