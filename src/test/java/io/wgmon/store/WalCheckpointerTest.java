package io.wgmon.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Commits leave the WAL to the checkpoint thread: the database file gets a commit's rows without a commit copying them. */
class WalCheckpointerTest {
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";

    @TempDir
    Path dir;

    @Test
    void aCommitsRowsReachTheDatabaseFileThroughTheCheckpointThread() throws Exception {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertEquals(0, (int) database.call(connection -> {
                try (Statement statement = connection.createStatement();
                     ResultSet result = statement.executeQuery("PRAGMA wal_autocheckpoint")) {
                    return result.getInt(1);
                }
            }), "no commit checkpoints inline");

            database.call(connection -> {
                SessionTable.apply(connection, new SessionChanges(List.of(new SessionChanges.Opened(
                        new UUID(0, 1), "wg0", ALICE, "alice", Instant.parse("2026-12-01T00:00:00Z"), null)),
                        List.of(), List.of()));
                return null;
            });

            long deadline = System.nanoTime() + 10_000_000_000L;
            int inFile = 0;
            while (inFile == 0 && System.nanoTime() < deadline) {
                inFile = sessionsInTheDatabaseFileAlone();
                Thread.sleep(50);
            }
            assertEquals(1, inFile, "a commit of one row (far under SQLite's 1,000 pages) is copied by the thread");
        }
    }

    /** The main database file read as if it had no WAL: what checkpoints copied into it. */
    private int sessionsInTheDatabaseFileAlone() throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = config.createConnection("jdbc:sqlite:file:" + dir.resolve(StoreDatabase.FILE)
                + "?immutable=1");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM session")) {
            return result.getInt(1);
        } catch (java.sql.SQLException e) {
            assertTrue(e.getMessage().contains("no such table"), e.getMessage());
            return 0;
        }
    }
}
