package io.wgmon.tracking;

import io.wgmon.store.PeerHistoryRow;
import io.wgmon.store.PeerHistoryTable;
import io.wgmon.store.StoreDatabase;

import java.util.List;

/** Peers' histories in the store's {@code peer_history} table. */
public final class StoredHistory implements HistoryStore {
    private final StoreDatabase database;

    public StoredHistory(StoreDatabase database) {
        this.database = database;
    }

    @Override
    public List<PeerHistory> load() {
        return database.call(PeerHistoryTable::all).stream().map(row -> new PeerHistory(
                new PeerKey(row.interfaceName(), row.publicKey()), row.firstSeen(), row.lastHandshake(),
                row.staleReported())).toList();
    }

    @Override
    public void save(List<PeerHistory> changed) {
        if (!changed.isEmpty()) {
            database.submit(PeerHistoryTable.write(changed.stream().map(history -> new PeerHistoryRow(
                    history.key().interfaceName(), history.key().publicKey(), history.firstSeen(),
                    history.lastHandshake(), history.staleReported())).toList()));
        }
    }
}
