package io.wgmon.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code session_day} table (docs/architecture.md#store): per peer and UTC day, the ended sessions that
 * started that day, so the timeline of all peers reads a row a peer a day instead of an index entry a session.
 * Kept by triggers on {@code session} in the transaction that ends, inserts or prunes a session. A row's
 * {@code spans} is {@code ,off dur,off dur,}: each session's start in milliseconds after the day's start and its
 * length in milliseconds, in the order the sessions ended, or as the migration grouped them (the reader sorts a
 * peer's spans by start). Since migration 11 the rows lie by day, then peer: a window's days are neighbouring
 * rows, not one or two out of each peer's many on a page of their own. Read here one peer at a time, in key
 * order, as {@link PeerSpans} of the window, merged from a cursor a day.
 */
final class SessionDays {
    static final long DAY_MS = 86_400_000L;
    /** A session's pair in a row: SQL over a session row named {@code %1$s} (new or old). */
    private static final String PAIR = "((%1$s.start_time - %1$s.start_time / 86400000 * 86400000) || ' ' || "
            + "(%1$s.end_time - %1$s.start_time))";
    private static final String APPEND = """
            INSERT INTO session_day (interface, public_key, day, spans)
                VALUES (%1$s.interface, %1$s.public_key, %1$s.start_time / 86400000, ',' || %2$s || ',')
                ON CONFLICT (interface, public_key, day) DO UPDATE SET spans = spans || substr(excluded.spans, 2);
            """;
    /** Removes the first copy of the pair (two sessions of a peer may have the same start and length). */
    private static final String REMOVE = """
            UPDATE session_day SET spans = substr(spans, 1, instr(spans, ',' || %2$s || ','))
                    || substr(spans, instr(spans, ',' || %2$s || ',') + length(%2$s) + 2)
                WHERE interface = %1$s.interface AND public_key = %1$s.public_key
                    AND day = %1$s.start_time / 86400000 AND instr(spans, ',' || %2$s || ',') > 0;
            DELETE FROM session_day WHERE interface = %1$s.interface AND public_key = %1$s.public_key
                AND day = %1$s.start_time / 86400000 AND spans = ',';
            """;
    /** The three triggers that keep the table. */
    private static final String TRIGGERS = """
            CREATE TRIGGER session_day_inserted AFTER INSERT ON session WHEN new.end_time IS NOT NULL BEGIN
            %1$sEND;
            CREATE TRIGGER session_day_ended AFTER UPDATE OF end_time ON session
                WHEN old.end_time IS NULL AND new.end_time IS NOT NULL BEGIN
            %1$sEND;
            CREATE TRIGGER session_day_pruned AFTER DELETE ON session WHEN old.end_time IS NOT NULL BEGIN
            %2$sEND;
            """.formatted(APPEND.formatted("new", PAIR.formatted("new")), REMOVE.formatted("old", PAIR.formatted("old")));
    /**
     * Migration 10: the table, filled from the ended sessions, and its triggers. Open sessions are not in it (the
     * timeline reads them from {@code session}, as before).
     */
    static final String MIGRATION = """
            CREATE TABLE session_day (interface TEXT NOT NULL, public_key TEXT NOT NULL, day INTEGER NOT NULL,
                spans TEXT NOT NULL, PRIMARY KEY (interface, public_key, day)) WITHOUT ROWID;
            INSERT INTO session_day (interface, public_key, day, spans)
                SELECT s.interface, s.public_key, s.start_time / 86400000, ',' || group_concat(%1$s, ',') || ','
                FROM session s WHERE s.end_time IS NOT NULL GROUP BY s.interface, s.public_key, s.start_time / 86400000;
            """.formatted(PAIR.formatted("s")) + TRIGGERS;
    /**
     * Migration 11: the same rows keyed by day first. Keyed by peer, a timeline read a page or two of each peer's
     * rows to use one or two of them; by day, the window's rows are neighbours on as few pages as they fill. The
     * triggers are dropped with the table they write and made again, the same.
     */
    static final String DAY_ORDER_MIGRATION = """
            CREATE TABLE session_day_by_day (day INTEGER NOT NULL, interface TEXT NOT NULL, public_key TEXT NOT NULL,
                spans TEXT NOT NULL, PRIMARY KEY (day, interface, public_key)) WITHOUT ROWID;
            INSERT INTO session_day_by_day (day, interface, public_key, spans)
                SELECT day, interface, public_key, spans FROM session_day ORDER BY day, interface, public_key;
            DROP TRIGGER session_day_inserted;
            DROP TRIGGER session_day_ended;
            DROP TRIGGER session_day_pruned;
            DROP TABLE session_day;
            ALTER TABLE session_day_by_day RENAME TO session_day;
            """ + TRIGGERS;
    /**
     * One day's rows in key order ({@code ?1} the day, {@code ?2} the interface or null for all): the window's days
     * are read as one such cursor each, merged by key.
     */
    private static final String DAY_QUERY = "SELECT interface, public_key, spans FROM session_day"
            + " WHERE day = ?1 AND (?2 IS NULL OR interface = ?2) ORDER BY interface, public_key";
    /** The longest ended session of any peer ({@code ?1} the interface or null for all). */
    private static final String LONGEST_QUERY = "SELECT max(longest_ms) FROM peer_totals"
            + " WHERE ?1 IS NULL OR interface = ?1";
    /**
     * The rows before the first day the day cursors read ({@code ?3}) of the peers whose longest session reaches
     * further back from the window's from ({@code ?1}), back to the day of from less their longest, in key order:
     * few peers (the day cursors reach back a day), each row found by its key.
     */
    private static final String EARLIER_QUERY = """
            WITH RECURSIVE wanted (interface, public_key, day) AS (
                SELECT interface, public_key, (?1 - longest_ms) / 86400000 FROM peer_totals
                    WHERE (?1 - longest_ms) / 86400000 < ?3 AND (?2 IS NULL OR interface = ?2)
                UNION ALL SELECT interface, public_key, day + 1 FROM wanted WHERE day + 1 < ?3)
            SELECT d.interface, d.public_key, d.spans, d.day FROM wanted w
                JOIN session_day d ON d.day = w.day AND d.interface = w.interface AND d.public_key = w.public_key
                ORDER BY d.interface, d.public_key
            """;

    private SessionDays() {
    }

    /**
     * Each peer's ended sessions overlapping [from, to) as {@link SpanSeconds}, start and end in whole seconds after
     * from as {@link SessionTable#secondsAfter} counts them, by start then end: the day rows from the day of from less
     * the longest session of any peer (at most a day) to the day of to's last millisecond, a cursor a day, merged by
     * key with the earlier rows of the peers whose sessions reach further back.
     */
    static final class Cursor implements AutoCloseable {
        private final long from;
        private final long window;
        private final List<PreparedStatement> statements = new ArrayList<>();
        /** The earlier rows' cursor, if any, then the day cursors by day. */
        private final List<ResultSet> sources = new ArrayList<>();
        /** Each source's day, null for the earlier rows (their day is a column). */
        private final List<Long> sourceDays = new ArrayList<>();
        /** Each source's current row's interface and key, null once it is read to the end. */
        private byte[][] interfaces;
        private byte[][] keys;
        /** The kept sessions' start, end pairs in milliseconds after from. */
        private long[] pairs = new long[64];
        private byte[] lastInterfaceBytes;
        private String lastInterface;
        private int length;

        Cursor(Connection connection, long from, long to, String interfaceName) throws SQLException {
            this.from = from;
            this.window = to - from;
            try {
                long longest = longest(connection, interfaceName);
                long first = (from - Math.min(longest, DAY_MS)) / DAY_MS;
                if ((from - longest) / DAY_MS < first) {
                    PreparedStatement earlier = prepare(connection, EARLIER_QUERY);
                    earlier.setLong(1, from);
                    earlier.setString(2, interfaceName);
                    earlier.setLong(3, first);
                    add(earlier.executeQuery(), null);
                }
                for (long day = first; day <= (to - 1) / DAY_MS; day++) {
                    PreparedStatement days = prepare(connection, DAY_QUERY);
                    days.setLong(1, day);
                    days.setString(2, interfaceName);
                    add(days.executeQuery(), day);
                }
                interfaces = new byte[sources.size()][];
                keys = new byte[sources.size()][];
                for (int i = 0; i < sources.size(); i++) {
                    advance(i);
                }
            } catch (SQLException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private static long longest(Connection connection, String interfaceName) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(LONGEST_QUERY)) {
                statement.setString(1, interfaceName);
                try (ResultSet result = statement.executeQuery()) {
                    return result.getLong(1);
                }
            }
        }

        private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
            PreparedStatement statement = connection.prepareStatement(sql);
            statements.add(statement);
            return statement;
        }

        private void add(ResultSet rows, Long day) {
            sources.add(rows);
            sourceDays.add(day);
        }

        private void advance(int source) throws SQLException {
            ResultSet rows = sources.get(source);
            boolean more = rows.next();
            interfaces[source] = more ? rows.getBytes(1) : null;
            keys[source] = more ? rows.getBytes(2) : null;
        }

        /** The next peer with a session in the window, null after the last. */
        PeerSpans next() throws SQLException {
            while (true) {
                int least = -1;
                for (int i = 0; i < sources.size(); i++) {
                    if (keys[i] != null && (least < 0 || compare(i, least) < 0)) {
                        least = i;
                    }
                }
                if (least < 0) {
                    return null;
                }
                byte[] interfaceBytes = interfaces[least];
                byte[] key = keys[least];
                length = 0;
                for (int i = least; i < sources.size(); i++) {
                    while (keys[i] != null && Arrays.equals(keys[i], key) && Arrays.equals(interfaces[i], interfaceBytes)) {
                        ResultSet rows = sources.get(i);
                        Long day = sourceDays.get(i);
                        add(day == null ? rows.getLong(4) : day, rows.getBytes(3));
                        advance(i);
                    }
                }
                if (length > 0) {
                    return new PeerSpans(interfaceName(interfaceBytes), text(key), seconds(), null, null);
                }
            }
        }

        /** SQLite's order of text (memcmp of UTF-8: the order of code points): by interface, then key. */
        private int compare(int a, int b) {
            int order = Arrays.compareUnsigned(interfaces[a], interfaces[b]);
            return order != 0 ? order : Arrays.compareUnsigned(keys[a], keys[b]);
        }

        @Override
        public void close() throws SQLException {
            SQLException failure = null;
            for (PreparedStatement statement : statements) {
                try {
                    statement.close();
                } catch (SQLException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }

        /**
         * The interface's name, the previous peer's String when it is the same (a few interfaces, thousands of peers):
         * the driver's {@code getString} allocates a buffer, an array and the String for every peer.
         */
        private String interfaceName(byte[] name) {
            if (!Arrays.equals(name, lastInterfaceBytes)) {
                lastInterfaceBytes = name;
                lastInterface = text(name);
            }
            return lastInterface;
        }

        private static String text(byte[] utf8) {
            return new String(utf8, StandardCharsets.UTF_8);
        }

        /**
         * The day's sessions that overlap the window, as start, end pairs after from. Parsed from the bytes digit by
         * digit in one loop over locals (the JIT here is C1, which keeps a field in memory: {@code Long.parseLong},
         * then a parser keeping its position in a field, were most of the reader's time); the day's start after from
         * is reckoned once for its pairs.
         */
        private void add(long day, byte[] spans) {
            long dayAfterFrom = day * DAY_MS - from;
            int at = 0;
            int end = spans.length;
            while (at < end) {
                if (spans[at] == ',') {
                    at++;
                    continue;
                }
                boolean negative = spans[at] == '-';
                if (negative) {
                    at++;
                }
                long offset = 0;
                byte b;
                while (at < end && (b = spans[at]) >= '0' && b <= '9') {
                    offset = offset * 10 + b - '0';
                    at++;
                }
                at++;
                boolean negativeLength = at < end && spans[at] == '-';
                if (negativeLength) {
                    at++;
                }
                long duration = 0;
                while (at < end && (b = spans[at]) >= '0' && b <= '9') {
                    duration = duration * 10 + b - '0';
                    at++;
                }
                long start = dayAfterFrom + (negative ? -offset : offset);
                long stop = start + (negativeLength ? -duration : duration);
                if (start < window && stop > 0) {
                    keep(start, stop);
                }
            }
        }

        private void keep(long start, long end) {
            if (length == pairs.length) {
                pairs = Arrays.copyOf(pairs, length * 2);
            }
            pairs[length++] = start;
            pairs[length++] = end;
        }

        /** A thousandth as a multiply and a shift where that is exact (0 to the largest int): C1 divides with idiv. */
        private SpanSeconds seconds() {
            sortByStartThenEnd();
            long[] seconds = new long[length];
            for (int i = 0; i < length; i++) {
                long after = pairs[i];
                seconds[i] = after >= 0 && after <= Integer.MAX_VALUE ? (after * 274_877_907L) >>> 38
                        : SessionTable.secondsAfter(from, from + after);
            }
            return SpanSeconds.of(seconds);
        }

        /** Sessions end in start order unless a peer's sessions overlapped (a restart gap closed late). */
        private void sortByStartThenEnd() {
            for (int i = 2; i < length; i += 2) {
                if (pairs[i - 2] > pairs[i] || pairs[i - 2] == pairs[i] && pairs[i - 1] > pairs[i + 1]) {
                    long[][] sorted = new long[length / 2][];
                    for (int j = 0; j < length; j += 2) {
                        sorted[j / 2] = new long[] {pairs[j], pairs[j + 1]};
                    }
                    Arrays.sort(sorted, Arrays::compare);
                    for (int j = 0; j < length; j += 2) {
                        pairs[j] = sorted[j / 2][0];
                        pairs[j + 1] = sorted[j / 2][1];
                    }
                    return;
                }
            }
        }
    }
}
