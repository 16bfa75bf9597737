package io.wgmon.tracking;

import io.wgmon.store.ExpectationTables;
import io.wgmon.store.StoreDatabase;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Always-on and quota reports in the store's {@code peer_down} and {@code peer_quota} tables. */
public final class StoredExpectations implements ExpectationStore {
    private final StoreDatabase database;

    public StoredExpectations(StoreDatabase database) {
        this.database = database;
    }

    @Override
    public List<Down> downs() {
        return database.call(ExpectationTables::downs).stream().map(row -> new Down(
                new PeerKey(row.interfaceName(), row.publicKey()), row.since(), row.reported())).toList();
    }

    @Override
    public List<Reached> reached() {
        return database.call(ExpectationTables::quotas).stream().map(row -> new Reached(
                new PeerKey(row.interfaceName(), row.publicKey()), row.periodStart(), row.percent(),
                row.sessionId() == null ? null : UUID.fromString(row.sessionId()), row.sessionBefore())).toList();
    }

    @Override
    public Map<PeerKey, Long> endedSince(Instant from) {
        Map<PeerKey, Long> bytes = new HashMap<>();
        database.call(connection -> ExpectationTables.endedSince(connection, from)).forEach(row ->
                bytes.put(new PeerKey(row.interfaceName(), row.publicKey()), row.bytes()));
        return bytes;
    }

    @Override
    public void save(List<Down> down, List<Down> up, List<Reached> reached) {
        if (!down.isEmpty() || !up.isEmpty() || !reached.isEmpty()) {
            database.submit(ExpectationTables.write(rows(down), rows(up), reached.stream().map(r ->
                    new ExpectationTables.QuotaRow(r.key().interfaceName(), r.key().publicKey(), r.periodStart(),
                            r.percent(), r.session() == null ? null : r.session().toString(), r.sessionBefore()))
                    .toList()));
        }
    }

    private static List<ExpectationTables.DownRow> rows(List<Down> downs) {
        return downs.stream().map(d -> new ExpectationTables.DownRow(d.key().interfaceName(), d.key().publicKey(),
                d.since(), d.reported())).toList();
    }
}
