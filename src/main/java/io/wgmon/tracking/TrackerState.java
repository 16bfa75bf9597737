package io.wgmon.tracking;

import java.util.List;

/**
 * Where the tracker's per-peer state outlives the process (docs/architecture.md#tracking, docs/architecture.md#delivery), so a restart
 * reports nothing twice and reports what changed while wgmon was down.
 */
public interface TrackerState {
    /** The state the last run left; read once at start-up, before the first scan (may block). */
    List<PeerState> load();

    /**
     * Runs {@code publish} (which hands this scan's events to delivery) and stores the tracker's peers as
     * they are now, so that the events' stored deliveries and the state commit together. Called on the
     * scan thread: never waits for the disk.
     */
    void publishAndSave(List<PeerState> peers, Runnable publish);

    /** Stores every peer's state as it is now, activity included; at shutdown, after the last scan. */
    void flush(List<PeerState> peers);

    /** No state kept: every start begins with a baseline. */
    static TrackerState none() {
        return new TrackerState() {
            @Override
            public List<PeerState> load() {
                return List.of();
            }

            @Override
            public void publishAndSave(List<PeerState> peers, Runnable publish) {
                publish.run();
            }

            @Override
            public void flush(List<PeerState> peers) {
            }
        };
    }
}
