package io.wgmon.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timeline read from {@code session_day} answers what the query over every session row (the timeline before
 * migration 10, kept here as the reference) answered, for the same store, whatever the window.
 */
class SessionDaysTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final long DAY = SessionDays.DAY_MS;
    private static final int PEERS = 12;
    /** The ended spans as the timeline read them from the session rows up to schema version 9. */
    private static final String ROWS_QUERY = "SELECT p.interface, p.public_key, '[' || group_concat("
            + "((s.start_time - (?1 - 1000000000000)) / 1000 - 1000000000) || ',' || "
            + "((s.end_time - (?1 - 1000000000000)) / 1000 - 1000000000)) || ']'"
            + " FROM peer_totals p CROSS JOIN session s INDEXED BY session_peer_page"
            + " ON s.public_key = p.public_key AND s.start_time >= ?1 - p.longest_ms"
            + " AND s.start_time < ?2 AND s.end_time > ?1 AND s.interface = p.interface"
            + " GROUP BY p.interface, p.public_key";
    private static final String OPEN_QUERY = "SELECT interface, public_key, id,"
            + " ((max(start_time) - (?1 - 1000000000000)) / 1000 - 1000000000) FROM session"
            + " WHERE end_time IS NULL AND start_time < ?2 GROUP BY interface, public_key";

    @TempDir
    Path dir;

    private static String key(int peer) {
        return String.format("peer%038d0=", peer);
    }

    private static String interfaceOf(int peer) {
        return peer % 5 == 4 ? "wg1" : "wg0";
    }

    @Test
    void theTimelineIsByteForByteTheSessionRowsAnswerForAnyWindowBeforeAndAfterPruning() throws Exception {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            fill(database, new Random(22));
            compareWindows(database, new Random(23), 300);
            database.call(connection -> SessionTable.pruneEndedBefore(connection, T0.plusMillis(3 * DAY + 4321), 7));
            database.call(connection -> SessionTable.pruneEndedBefore(connection, T0.plusMillis(2 * DAY), 10_000));
            database.call(connection -> SessionTable.pruneOldest(connection, 40));
            compareWindows(database, new Random(24), 300);
            assertEquals(0L, (long) database.call(connection -> count(connection,
                    "SELECT count(*) FROM session_day WHERE spans = ','")), "a day's last pruned session takes its row");
        }
    }

    @Test
    void migrationTenFillsTheDaysOfAStoreThatHadNone() throws Exception {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            database.call(connection -> {
                try (Statement statement = connection.createStatement()) {
                    // the store as migration 9 left it, then written to
                    statement.execute("DROP TRIGGER session_day_inserted");
                    statement.execute("DROP TRIGGER session_day_ended");
                    statement.execute("DROP TRIGGER session_day_pruned");
                    statement.execute("DROP TABLE session_day");
                    statement.execute("DROP INDEX session_peer_page");
                    statement.execute("CREATE INDEX session_peer_window ON session (public_key, start_time, end_time, "
                            + "interface)");
                    statement.execute("PRAGMA user_version = 9");
                }
                return null;
            });
            fill(database, new Random(25));
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertTrue(database.call(connection -> count(connection, "SELECT count(*) FROM session_day")) > 0);
            compareWindows(database, new Random(26), 200);
        }
    }

    @Test
    void migrationElevenKeysTheDaysOfASchemaTenStoreByDayWithTheirRowsIntact() throws Exception {
        String rows = "SELECT interface, public_key, day, spans FROM session_day ORDER BY interface, public_key, day";
        List<String> before;
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            fill(database, new Random(27));
            before = database.call(connection -> {
                try (Statement statement = connection.createStatement()) {
                    // the table and triggers as migration 10 left them, with the same rows
                    statement.execute("CREATE TABLE session_day_by_peer AS SELECT * FROM session_day");
                    statement.execute("DROP TRIGGER session_day_inserted");
                    statement.execute("DROP TRIGGER session_day_ended");
                    statement.execute("DROP TRIGGER session_day_pruned");
                    statement.execute("DROP TABLE session_day");
                    for (String ddl : Schema.statements(SessionDays.MIGRATION)) {
                        if (!ddl.strip().startsWith("INSERT")) {
                            statement.execute(ddl);
                        }
                    }
                    statement.execute("INSERT INTO session_day (interface, public_key, day, spans)"
                            + " SELECT interface, public_key, day, spans FROM session_day_by_peer");
                    statement.execute("DROP TABLE session_day_by_peer");
                    statement.execute("PRAGMA user_version = 10");
                }
                return lines(connection, rows);
            });
            assertTrue(before.size() > 50, "rows: " + before.size());
            assertTrue(tableSql(database).contains("PRIMARY KEY (interface, public_key, day)"), tableSql(database));
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertTrue(tableSql(database).contains("PRIMARY KEY (day, interface, public_key)"), tableSql(database));
            assertEquals(before, database.call(connection -> lines(connection, rows)), "the same rows");
            compareWindows(database, new Random(28), 200);
            database.call(connection -> SessionTable.pruneEndedBefore(connection, T0.plusMillis(4 * DAY), 10_000));
            compareWindows(database, new Random(29), 100);
        }
    }

    private static String tableSql(StoreDatabase database) {
        return database.call(connection -> lines(connection,
                "SELECT sql FROM sqlite_master WHERE name = 'session_day'").get(0));
    }

    private static List<String> lines(Connection connection, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    line.append(i > 1 ? "|" : "").append(result.getString(i));
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }

    /**
     * Per peer: ended sessions back to back, some across midnight, some days long, some ending in the same
     * millisecond they started, twice the same session; roams; two sessions at once (the earlier ending last);
     * a few left open; peer 0 with no session at all after the first day. Half written as the tracker writes them
     * (opened, moved, closed), half inserted already ended, as an import or the bench does.
     */
    private static void fill(StoreDatabase database, Random random) {
        database.call(connection -> {
            int n = 0;
            for (int peer = 0; peer < PEERS; peer++) {
                long t = random.nextInt(100_000);
                long end = (peer == 0 ? 1 : 9) * DAY;
                while (t < end) {
                    long length = switch (random.nextInt(8)) {
                        case 0 -> 0;
                        case 1 -> DAY + random.nextInt((int) (2 * DAY));
                        case 2 -> random.nextInt(1000);
                        default -> random.nextInt(5 * 3_600_000);
                    };
                    write(connection, peer, n++, t, t + length, random.nextBoolean(), random.nextInt(10) == 0);
                    if (random.nextInt(20) == 0) {
                        write(connection, peer, n++, t, t + length, true, false);
                    }
                    t += length + random.nextInt(4 * 3_600_000);
                }
                if (peer % 3 == 1) {
                    SessionTable.apply(connection, new SessionChanges(List.of(opened(peer, n++, t)), List.of(), List.of()));
                }
                if (peer == 2) {
                    UUID earlier = new UUID(0, n++);
                    UUID later = new UUID(0, n++);
                    SessionTable.apply(connection, new SessionChanges(List.of(opened(peer, earlier, t + 1000),
                            opened(peer, later, t + 5000)), List.of(), List.of()));
                    SessionTable.apply(connection, new SessionChanges(List.of(), List.of(),
                            List.of(closed(later, t + 9000))));
                    SessionTable.apply(connection, new SessionChanges(List.of(), List.of(),
                            List.of(closed(earlier, t + 20_000))));
                }
            }
            return null;
        });
    }

    private static void write(Connection connection, int peer, int n, long start, long end, boolean tracked,
                              boolean roams) throws SQLException {
        if (!tracked) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO session (id, interface, public_key,"
                    + " start_time, end_time, end_reason) VALUES (?, ?, ?, ?, ?, 'idle')")) {
                insert.setString(1, new UUID(0, n).toString());
                insert.setString(2, interfaceOf(peer));
                insert.setString(3, key(peer));
                insert.setLong(4, T0.toEpochMilli() + start);
                insert.setLong(5, T0.toEpochMilli() + end);
                insert.executeUpdate();
            }
            return;
        }
        UUID id = new UUID(0, n);
        SessionTable.apply(connection, new SessionChanges(List.of(opened(peer, id, start)), List.of(), List.of()));
        if (roams) {
            SessionTable.apply(connection, new SessionChanges(List.of(), List.of(new SessionChanges.Moved(id,
                    T0.plusMillis(start + (end - start) / 2), "198.51.100.9:4000" + peer)), List.of()));
        }
        SessionTable.apply(connection, new SessionChanges(List.of(), List.of(), List.of(closed(id, end))));
    }

    private static SessionChanges.Opened opened(int peer, int n, long start) {
        return opened(peer, new UUID(0, n), start);
    }

    private static SessionChanges.Opened opened(int peer, UUID id, long start) {
        return new SessionChanges.Opened(id, interfaceOf(peer), key(peer), "peer-" + peer, T0.plusMillis(start),
                "192.0.2." + peer + ":51820");
    }

    private static SessionChanges.Closed closed(UUID id, long end) {
        return new SessionChanges.Closed(id, T0.plusMillis(end), "idle", 10, 20);
    }

    /** Random windows of a millisecond to 7 days, and whole days, over the stored ten days and around them. */
    private static void compareWindows(StoreDatabase database, Random random, int windows) throws Exception {
        for (int i = 0; i < windows; i++) {
            long from = i % 10 == 0 ? (i / 10 % 11 - 1) * DAY : random.nextLong(-DAY, 11 * DAY);
            long length = i % 10 == 0 ? DAY : 1 + random.nextLong(7 * DAY);
            Instant f = T0.plusMillis(from);
            Instant t = T0.plusMillis(from + length);
            List<PeerSpans> read = new ArrayList<>();
            assertTrue(database.timelines().read(f, t, null, read::add));
            List<PeerSpans> reference = database.call(connection -> reference(connection, f, t));
            assertEquals(reference, read, "window " + f + " to " + t);
        }
    }

    /** The timeline as the session rows give it (the code before migration 10). */
    private static List<PeerSpans> reference(Connection connection, Instant from, Instant to) throws SQLException {
        TreeMap<String, PeerSpans> peers = new TreeMap<>();
        try (PreparedStatement ended = connection.prepareStatement(ROWS_QUERY)) {
            ended.setLong(1, from.toEpochMilli());
            ended.setLong(2, to.toEpochMilli());
            try (ResultSet rows = ended.executeQuery()) {
                while (rows.next()) {
                    peers.put(rows.getString(1) + " " + rows.getString(2),
                            new PeerSpans(rows.getString(1), rows.getString(2), spans(rows.getString(3)), null, null));
                }
            }
        }
        try (PreparedStatement open = connection.prepareStatement(OPEN_QUERY)) {
            open.setLong(1, from.toEpochMilli());
            open.setLong(2, to.toEpochMilli());
            try (ResultSet rows = open.executeQuery()) {
                while (rows.next()) {
                    PeerSpans ended = peers.get(rows.getString(1) + " " + rows.getString(2));
                    peers.put(rows.getString(1) + " " + rows.getString(2), new PeerSpans(rows.getString(1),
                            rows.getString(2), ended == null ? SpanSeconds.NONE : ended.spans(), rows.getString(3), rows.getLong(4)));
                }
            }
        }
        return List.copyOf(peers.values());
    }

    /** The reference query's JSON array of numbers. */
    private static SpanSeconds spans(String json) {
        String inside = json.substring(1, json.length() - 1);
        return SpanSeconds.of(inside.isEmpty() ? new long[0]
                : Arrays.stream(inside.split(",")).mapToLong(Long::parseLong).toArray());
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            return result.getLong(1);
        }
    }
}
