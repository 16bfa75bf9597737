package io.wgmon.tracking;

import io.wgmon.store.PeerStateChanges;
import io.wgmon.store.SessionChanges;

import java.time.Instant;
import java.util.List;

/**
 * Where the tracker's per-peer state outlives the process (docs/architecture.md#tracking, docs/architecture.md#delivery), so a restart
 * reports nothing twice and reports what changed while wgmon was down. It decides what to write; the
 * {@link EventOutbox} writes it with the scan's events.
 */
public interface TrackerState {
    /** The state the last run left; read once at start-up, before the first scan (may block). */
    List<PeerState> load();

    /**
     * The rows that bring the saved state to {@code peers}, counted as saved from now on; on the scan thread.
     *
     * @param all activity too, unthrottled: at shutdown, after the last scan
     */
    PeerStateChanges changes(List<PeerState> peers, boolean all);

    /**
     * The rows of one scan, as {@link #changes} gives them for every peer, from what the scan changed: the
     * states it changed or added and the peers it stopped tracking (docs/architecture.md#tracking); on the
     * scan thread.
     */
    default PeerStateChanges changes(List<PeerState> changed, List<PeerKey> removed, List<PeerState> peers) {
        return changes(peers, false);
    }

    /**
     * The {@code session} rows a scan's events and the tracker's state after it make (docs/architecture.md#store);
     * none where no history is kept. On the scan thread.
     *
     * @param changed the states the scan changed or added (the only ones whose endpoint can have moved)
     * @param peers   every peer's state after the scan
     */
    default SessionChanges sessions(List<PeerEvent> events, List<PeerState> changed, List<PeerState> peers, Instant now) {
        return SessionChanges.NONE;
    }

    /** No state kept: every start begins with a baseline. */
    static TrackerState none() {
        return new TrackerState() {
            @Override
            public List<PeerState> load() {
                return List.of();
            }

            @Override
            public PeerStateChanges changes(List<PeerState> peers, boolean all) {
                return PeerStateChanges.NONE;
            }
        };
    }
}
