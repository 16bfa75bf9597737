package io.wgmon.tracking;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where the always-on and quota reports are remembered, and where ended sessions' bytes are read
 * (docs/architecture.md#expectations): the store, or nowhere (then a restart forgets them and counts quotas
 * from the start).
 */
public interface ExpectationStore {
    /** A peer reported down; {@code since} its last handshake before, or when wgmon began to watch it. */
    record Down(PeerKey key, Instant since, Instant reported) {
    }

    /**
     * The highest threshold reported for a peer in the period beginning at {@code periodStart} (0: none yet),
     * and the bytes its session {@code session} (null: none) had when the period began.
     */
    record Reached(PeerKey key, Instant periodStart, int percent, UUID session, long sessionBefore) {
    }

    /** Before the first scan; may block. */
    List<Down> downs();

    /** Before the first scan; may block. */
    List<Reached> reached();

    /** Per peer, the bytes of its sessions that ended at or after {@code from}; before the first scan, may block. */
    Map<PeerKey, Long> endedSince(Instant from);

    /** Hands changes over; never blocks. */
    void save(List<Down> down, List<Down> up, List<Reached> reached);

    static ExpectationStore none() {
        return new ExpectationStore() {
            @Override
            public List<Down> downs() {
                return List.of();
            }

            @Override
            public List<Reached> reached() {
                return List.of();
            }

            @Override
            public Map<PeerKey, Long> endedSince(Instant from) {
                return Map.of();
            }

            @Override
            public void save(List<Down> down, List<Down> up, List<Reached> reached) {
            }
        };
    }
}
