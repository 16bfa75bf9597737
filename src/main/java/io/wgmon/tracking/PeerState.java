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
 * @param session        the reported session under way, null while there is none
 */
public record PeerState(PeerKey key, Peer last, Instant connectedSince, Instant lastActivity, boolean reported,
                        OpenSession session) {

    public boolean connected() {
        return connectedSince != null;
    }

    boolean idleAt(Instant now, Duration idleTimeout) {
        return lastActivity == null || !now.isBefore(lastActivity.plus(idleTimeout));
    }

    PeerState seen(Peer peer) {
        return new PeerState(key, peer, connectedSince, lastActivity, reported, session);
    }

    PeerState active(Peer peer, Instant at) {
        return new PeerState(key, peer, connectedSince, at, reported, session);
    }

    /** Connected, and its {@code peer.connected} is sent: a new session. */
    PeerState connect(Peer peer, Instant since, Instant activity, OpenSession started) {
        return new PeerState(key, peer, since, activity, true, started);
    }

    /** Connected before wgmon looked, and not reported: tracked so the API shows it. */
    PeerState connectUnreported(Peer peer, Instant since, Instant activity) {
        return new PeerState(key, peer, since, activity, false, null);
    }

    PeerState disconnect() {
        return new PeerState(key, last, null, lastActivity, false, null);
    }
}
