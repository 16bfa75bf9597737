package io.wgmon.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The writes of a {@link StoreTransaction} commit as one transaction, in order, or not at all. */
class StoreTransactionTest {
    @TempDir
    Path dir;

    private final List<String> outcomes = new CopyOnWriteArrayList<>();

    private static PeerStateRow row(String key) {
        return new PeerStateRow("wg0", key, Optional.empty(), false, Optional.empty(), 0, 0, Optional.empty(),
                Instant.ofEpochSecond(1), false, Optional.empty(), Optional.empty());
    }

    private StoreWrite upsert(String key) {
        return write(key, connection -> PeerStateTable.upsert(connection, row(key)));
    }

    private StoreWrite write(String name, SqlAction action) {
        return new StoreWrite() {
            @Override
            public void apply(Connection connection) throws SQLException {
                action.run(connection);
            }

            @Override
            public void committed(boolean durable) {
                outcomes.add(name + "=" + durable);
            }
        };
    }

    private interface SqlAction {
        void run(Connection connection) throws SQLException;
    }

    @Test
    void theWritesOfATransactionCommitInOneTransactionInOrder() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            StoreTransaction transaction = new StoreTransaction();
            transaction.add(upsert("a"));
            transaction.add(upsert("b"));
            transaction.add(upsert("c"));
            database.submit(transaction);
            assertEquals(3, database.call(PeerStateTable::all).size());
            assertEquals(List.of("a=true", "b=true", "c=true"), outcomes);
        }
    }

    @Test
    void whenOneOfThemFailsNoneIsStored() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            StoreTransaction transaction = new StoreTransaction();
            transaction.add(upsert("a"));
            transaction.add(write("broken", connection -> {
                throw new SQLException("disk says no");
            }));
            database.submit(transaction);
            database.submit(upsert("alone"));
            assertEquals(List.of("alone"), database.call(PeerStateTable::all).stream().map(PeerStateRow::publicKey).toList(),
                    "the delivery row and the state change are stored together or not at all");
            assertEquals(List.of("a=false", "broken=false", "alone=true"), outcomes);
        }
    }
}
