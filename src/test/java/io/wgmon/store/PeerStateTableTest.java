package io.wgmon.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The schema is created at the current version, and peer_state rows survive a reopen. */
class PeerStateTableTest {
    @TempDir
    Path dir;

    @Test
    void theStoreRunsWithAWalAndFullSync() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertEquals("wal", database.call(connection -> pragma(connection, "journal_mode")));
            assertEquals("2", database.call(connection -> pragma(connection, "synchronous")), "FULL");
        }
    }

    private static String pragma(java.sql.Connection connection, String name) throws java.sql.SQLException {
        try (var statement = connection.createStatement(); var result = statement.executeQuery("PRAGMA " + name)) {
            return result.getString(1);
        }
    }

    @Test
    void rowsAreUpsertedDeletedAndKeptAcrossAReopen() {
        PeerStateRow connected = new PeerStateRow("wg0", "key-a", Optional.of(Instant.ofEpochSecond(100)), true,
                Optional.of(Instant.ofEpochSecond(90)), 10, 20, Optional.of("192.0.2.1:51820"), Instant.ofEpochSecond(101),
                true, Optional.of(Instant.ofEpochSecond(100)),
                Optional.of(new PeerStateRow.SessionStart(java.util.UUID.fromString("6f1d3b7e-2c4a-4e8b-9a51-0c7d2e3f4a5b"),
                        4, 5)));
        PeerStateRow other = new PeerStateRow("wg0", "key-b", Optional.empty(), false, Optional.empty(), 0, 0,
                Optional.empty(), Instant.ofEpochSecond(101), false, Optional.empty(), Optional.empty());
        PeerStateRow later = new PeerStateRow("wg0", "key-a", Optional.of(Instant.ofEpochSecond(200)), false,
                Optional.empty(), 30, 40, Optional.empty(), Instant.ofEpochSecond(201), false,
                Optional.of(Instant.ofEpochSecond(150)), Optional.empty());
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertEquals(Schema.VERSION, database.call(Schema::version));
            database.call(connection -> {
                PeerStateTable.upsert(connection, connected);
                PeerStateTable.upsert(connection, other);
                PeerStateTable.upsert(connection, later);
                PeerStateTable.delete(connection, "wg0", "key-b");
                return null;
            });
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertEquals(List.of(later), database.call(PeerStateTable::all));
        }
    }
}
