package io.wgmon.tracking;

import io.wgmon.wireguard.Peer;

import java.time.Duration;
import java.time.Instant;

/**
 * What the tracker knows about one peer between scans.
 *
 * @param last           the peer as the latest scan showed it
 * @param connectedSince null while not connected
 * @param lastActivity   when a new handshake or rx growth was last observed
 * @param reported       its {@code peer.connected} was sent: only then is its disconnect sent too (a
 *                       peer found connected by the start-up baseline is tracked without being reported)
 */
public record PeerState(PeerKey key, Peer last, Instant connectedSince, Instant lastActivity, boolean reported) {

    public boolean connected() {
        return connectedSince != null;
    }

    boolean idleAt(Instant now, Duration idleTimeout) {
        return lastActivity == null || !now.isBefore(lastActivity.plus(idleTimeout));
    }

    PeerState seen(Peer peer) {
        return peer == last ? this : new PeerState(key, peer, connectedSince, lastActivity, reported);
    }

    PeerState active(Peer peer, Instant at) {
        return new PeerState(key, peer, connectedSince, at, reported);
    }

    /** Connected, and its {@code peer.connected} is sent. */
    PeerState connect(Peer peer, Instant since, Instant activity) {
        return new PeerState(key, peer, since, activity, true);
    }

    /** Connected before wgmon looked, and not reported: tracked so the API shows it. */
    PeerState connectUnreported(Peer peer, Instant since, Instant activity) {
        return new PeerState(key, peer, since, activity, false);
    }

    PeerState disconnect() {
        return new PeerState(key, last, null, lastActivity, false);
    }
}
