package io.wgmon.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.UUID;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real SQLite store that cannot commit (full: its page limit reached) or cannot be read at start (not a
 * database, a corrupt page): reported once, no write tried alone against a failing store, used again at the
 * next commit that fits, a damaged file kept aside while a fresh store begins.
 */
class StoreFailureTest {
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    private final List<String> outcomes = new CopyOnWriteArrayList<>();

    private static PeerStateRow row(String key) {
        return new PeerStateRow("wg0", key, Optional.empty(), false, Optional.empty(), 0, 0,
                Optional.of("x".repeat(300)), Instant.ofEpochSecond(1), false, Optional.empty(), Optional.empty());
    }

    /** A scan's transaction of {@code peers} upserts, big enough to need new pages. */
    private StoreTransaction scan(String name, int peers) {
        StoreTransaction transaction = new StoreTransaction();
        for (int i = 0; i < peers; i++) {
            String key = name + "-" + i;
            transaction.add(new StoreWrite() {
                @Override
                public void apply(Connection connection) throws SQLException {
                    PeerStateTable.upsert(connection, row(key));
                }

                @Override
                public void committed(boolean durable) {
                    if (key.endsWith("-0")) {
                        outcomes.add(name + "=" + durable);
                    }
                }
            });
        }
        return transaction;
    }

    /** Caps the file at its current size (SQLite then answers SQLITE_FULL, as for a full disk), or lifts the cap. */
    private static void pageLimit(StoreDatabase database, boolean capped) {
        database.call(connection -> {
            try (Statement statement = connection.createStatement()) {
                long limit = 1_073_741_823;
                if (capped) {
                    try (var pages = statement.executeQuery("PRAGMA page_count")) {
                        pages.next();
                        limit = pages.getLong(1);
                    }
                }
                statement.execute("PRAGMA max_page_count = " + limit);
            }
            return null;
        });
    }

    @Test
    void aFullStoreIsReportedOnceAndUsedAgainAtTheNextCommitThatFits() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            database.submit(scan("before", 5));
            pageLimit(database, true);
            database.submit(scan("full1", 200));
            database.submit(scan("full2", 200));
            database.submit(scan("full3", 200));
            database.call(connection -> null);
            StoreHealth health = database.health();
            assertTrue(health.failing().orElseThrow().contains("disk full"), health.failing().toString());
            assertEquals(1, health.faults(), "one report for the whole failure, not one per scan");
            assertEquals(3, health.lostWrites(), "each failed scan's transaction counted as one lost write");

            pageLimit(database, false);
            database.submit(scan("after", 200));
            database.call(connection -> null);
            assertEquals(Optional.empty(), health.failing(), "the next commit that fits ends the failure");
            assertEquals(1, health.faults());
            List<String> keys = database.call(PeerStateTable::all).stream().map(PeerStateRow::publicKey).toList();
            assertTrue(keys.contains("before-0") && keys.contains("after-199"), keys.toString());
            assertFalse(keys.stream().anyMatch(key -> key.startsWith("full")), "nothing half-written");
        }
        assertEquals(List.of("before=true", "full1=false", "full2=false", "full3=false", "after=true"), outcomes);
    }

    @Test
    void aFileThatIsNotADatabaseIsKeptAsideAndAFreshStoreBegins() throws IOException {
        Path db = dir.resolve(StoreDatabase.FILE);
        byte[] junk = new byte[3 * PAGE];
        Arrays.fill(junk, (byte) 0x5a);
        Files.write(db, junk);
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            database.submit(scan("fresh", 1));
            assertEquals(1, database.call(PeerStateTable::all).size());
            assertEquals(Optional.empty(), database.health().failing());
        }
        Path kept = onlyKept();
        assertArrayEquals(junk, Files.readAllBytes(kept), "the damaged file is kept as it was");
    }

    @Test
    void aCorruptPageInTheMiddleIsFoundAtStartAndTheFileKeptAside() throws IOException {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            for (int i = 0; i < 10; i++) {
                database.submit(scan("old" + i, 50));
            }
            database.call(connection -> null);
        }
        Path db = dir.resolve(StoreDatabase.FILE);
        long pages = Files.size(db) / PAGE;
        assertTrue(pages >= 10, "a store of " + pages + " pages");
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] junk = new byte[2 * PAGE];
            Arrays.fill(junk, (byte) 0xff);
            file.seek(pages / 2 * PAGE);
            file.write(junk);
        }
        byte[] damaged = Files.readAllBytes(db);
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertEquals(List.of(), database.call(PeerStateTable::all), "a fresh store");
        }
        assertArrayEquals(damaged, Files.readAllBytes(onlyKept()));
    }

    @Test
    void aSoundStoreIsNotMoved() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            database.submit(scan("kept", 3));
            database.call(connection -> null);
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertEquals(3, database.call(PeerStateTable::all).size());
        }
        assertEquals(List.of(), kept());
    }

    @Test
    void aBigStoreStartsWithoutReadingTheSessionHistoryUntilAWriteFoundItDamaged() throws IOException {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            database.submit(scan("state", 5));
            database.call(connection -> {
                List<SessionChanges.Opened> opened = new ArrayList<>();
                for (int i = 0; i < 3000; i++) {
                    opened.add(new SessionChanges.Opened(UUID.randomUUID(), "wg0", "key", "peer",
                            Instant.ofEpochSecond(i), "192.0.2.1:" + (1024 + i)));
                }
                SessionTable.apply(connection, new SessionChanges(opened, List.of(), List.of()));
                return null;
            });
        }
        Path db = dir.resolve(StoreDatabase.FILE);
        long pages = Files.size(db) / PAGE;
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] junk = new byte[2 * PAGE];
            Arrays.fill(junk, (byte) 0xff);
            file.seek((pages - 2) * PAGE); // the last pages written: the session rows' and their indexes'
            file.write(junk);
        }
        try (StoreDatabase database = StoreDatabase.open(dir, 0)) {
            assertEquals(5, database.call(PeerStateTable::all).size(), "the small tables were read and kept");
        }
        assertEquals(List.of(), kept(), "a start of a big store does not read the history");
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertEquals(List.of(), database.call(PeerStateTable::all), "a store this small is read whole");
        }
        onlyKept();
    }

    @Test
    void aDamagedWriteLeavesTheMarkThatMakesTheNextStartReadEveryPage() throws IOException {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            database.submit(scan("state", 5));
            database.call(connection -> null);
            database.health().failed(new StoreFault(StoreFault.Kind.CORRUPT, "test"), 1);
        }
        assertTrue(Files.exists(dir.resolve(StoreDatabase.DAMAGED_MARK)), "the mark is left");
        try (StoreDatabase database = StoreDatabase.open(dir, 0)) {
            assertEquals(5, database.call(PeerStateTable::all).size(), "a sound file read whole stays");
        }
        assertFalse(Files.exists(dir.resolve(StoreDatabase.DAMAGED_MARK)), "a start that read every page clears it");
        assertEquals(List.of(), kept());
    }

    private Path onlyKept() throws IOException {
        List<Path> kept = kept();
        assertEquals(1, kept.size(), kept.toString());
        assertTrue(kept.get(0).getFileName().toString().matches("wgmon\\.db\\.corrupt-\\d{8}T\\d{6}Z"), kept.toString());
        return kept.get(0);
    }

    private List<Path> kept() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().matches(".*\\.corrupt-[0-9TZ]+")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
