package io.wgmon.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which peers' saved state must be written after a scan: every change of what a restart
 * decides on (connected, reported, handshake, endpoint, a new peer, a peer gone) at once; activity and
 * counters alone at most once per {@code activityInterval} per peer, so steady traffic costs few
 * writes. Saved activity may lag by that interval; after a restart the counters then differ from the
 * saved ones, which counts as activity (a late idle, never an early one). Pure logic, one thread.
 */
final class PeerStateJournal {
    record Changes(List<PeerState> upserts, List<PeerKey> deletes) {
        boolean isEmpty() {
            return upserts.isEmpty() && deletes.isEmpty();
        }
    }

    private final Duration activityInterval;
    private final Map<PeerKey, PeerState> saved = new HashMap<>();

    PeerStateJournal(Duration activityInterval) {
        this.activityInterval = activityInterval;
    }

    /** What the store holds already (the loaded state). */
    void seed(List<PeerState> stored) {
        stored.forEach(state -> saved.put(state.key(), state));
    }

    /** The writes that bring the store to {@code peers}; {@code all}: activity too, unthrottled. */
    Changes changes(List<PeerState> peers, boolean all) {
        List<PeerState> upserts = upserts(peers, all);
        Set<PeerKey> present = new HashSet<>();
        peers.forEach(state -> present.add(state.key()));
        List<PeerKey> deletes = new ArrayList<>();
        for (PeerKey key : List.copyOf(saved.keySet())) {
            if (!present.contains(key)) {
                deletes.add(key);
                saved.remove(key);
            }
        }
        return new Changes(upserts, deletes);
    }

    /**
     * The writes of one scan, from what it changed: the same as {@link #changes} with every peer, since a
     * state the scan left alone compares with its saved row as it did after the scan that last changed it.
     */
    Changes changes(List<PeerState> changed, List<PeerKey> removed) {
        List<PeerState> upserts = upserts(changed, false);
        List<PeerKey> deletes = new ArrayList<>();
        for (PeerKey key : removed) {
            if (saved.remove(key) != null) {
                deletes.add(key);
            }
        }
        return new Changes(upserts, deletes);
    }

    private List<PeerState> upserts(List<PeerState> peers, boolean all) {
        List<PeerState> upserts = new ArrayList<>();
        for (PeerState state : peers) {
            PeerState before = saved.get(state.key());
            if (before == null || decisive(before, state) || (all ? !before.equals(state) : activityDue(before, state))) {
                upserts.add(state);
                saved.put(state.key(), state);
            }
        }
        return upserts;
    }

    private static boolean decisive(PeerState before, PeerState now) {
        return before.connected() != now.connected() || before.reported() != now.reported()
                || !Objects.equals(before.connectedSince(), now.connectedSince())
                || ConnectionTracker.newer(now.last().lastHandshake(), before.last().lastHandshake())
                || ConnectionTracker.newer(before.last().lastHandshake(), now.last().lastHandshake())
                || !Objects.equals(before.last().endpoint(), now.last().endpoint())
                || now.last().rxBytes() < before.last().rxBytes() || now.last().txBytes() < before.last().txBytes();
    }

    private boolean activityDue(PeerState before, PeerState now) {
        Instant was = before.lastActivity();
        Instant is = now.lastActivity();
        if (Objects.equals(was, is)) {
            return false;
        }
        return was == null || is == null || !is.isBefore(was.plus(activityInterval));
    }
}
