package io.wgmon.tracking;

import java.util.List;

/** Where peers' histories live: the store, or nowhere (then every start sees every key for the first time). */
public interface HistoryStore {
    /** Before the first scan; may block. */
    List<PeerHistory> load();

    /** Hands changed histories over; never blocks. */
    void save(List<PeerHistory> changed);

    static HistoryStore none() {
        return new HistoryStore() {
            @Override
            public List<PeerHistory> load() {
                return List.of();
            }

            @Override
            public void save(List<PeerHistory> changed) {
            }
        };
    }
}
