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
 */
public record PeerState(PeerKey key, Peer last, Instant connectedSince, Instant lastActivity) {

    public boolean connected() {
        return connectedSince != null;
    }

    boolean idleAt(Instant now, Duration idleTimeout) {
        return lastActivity == null || !now.isBefore(lastActivity.plus(idleTimeout));
    }

    PeerState seen(Peer peer) {
        return new PeerState(key, peer, connectedSince, lastActivity);
    }

    PeerState active(Peer peer, Instant at) {
        return new PeerState(key, peer, connectedSince, at);
    }

    PeerState connect(Peer peer, Instant since, Instant activity) {
        return new PeerState(key, peer, since, activity);
    }

    PeerState disconnect() {
        return new PeerState(key, last, null, lastActivity);
    }
}
