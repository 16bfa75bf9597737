package io.wgmon.store;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The {@code session_day} table (docs/architecture.md#store): per peer and UTC day, the ended sessions that
 * started that day, so the timeline of all peers reads a row a peer a day instead of an index entry a session.
 * Kept by triggers on {@code session} in the transaction that ends, inserts or prunes a session. A row's
 * {@code spans} is {@code ,off dur,off dur,}: each session's start in milliseconds after the day's start and its
 * length in milliseconds, in the order the sessions ended, or as the migration grouped them (the reader sorts a
 * peer's spans by start). Read here one peer at a time, in key order, as {@link PeerSpans} of the window.
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
    /**
     * Migration 10: the table, filled from the ended sessions, and its triggers. Open sessions are not in it (the
     * timeline reads them from {@code session}, as before).
     */
    static final String MIGRATION = """
            CREATE TABLE session_day (interface TEXT NOT NULL, public_key TEXT NOT NULL, day INTEGER NOT NULL,
                spans TEXT NOT NULL, PRIMARY KEY (interface, public_key, day)) WITHOUT ROWID;
            INSERT INTO session_day (interface, public_key, day, spans)
                SELECT s.interface, s.public_key, s.start_time / 86400000, ',' || group_concat(%2$s, ',') || ','
                FROM session s WHERE s.end_time IS NOT NULL GROUP BY s.interface, s.public_key, s.start_time / 86400000;
            CREATE TRIGGER session_day_inserted AFTER INSERT ON session WHEN new.end_time IS NOT NULL BEGIN
            %3$sEND;
            CREATE TRIGGER session_day_ended AFTER UPDATE OF end_time ON session
                WHEN old.end_time IS NULL AND new.end_time IS NOT NULL BEGIN
            %3$sEND;
            CREATE TRIGGER session_day_pruned AFTER DELETE ON session WHEN old.end_time IS NOT NULL BEGIN
            %4$sEND;
            """.formatted(null, PAIR.formatted("s"), APPEND.formatted("new", PAIR.formatted("new")),
            REMOVE.formatted("old", PAIR.formatted("old")));
    /**
     * Each peer's day rows that may hold a session overlapping [?1, ?2), from the day of ?1 less the peer's longest
     * session to the day of ?2's last millisecond, joined into one text a peer: {@code day,off dur,off dur,day,...}.
     * CROSS JOIN fixes the plan: peers in key order, a peer's days by day, nothing sorted; one row a peer crosses
     * JDBC (a row a peer a day cost more in JDBC's calls than SQLite took to read them).
     */
    static final String WINDOW_QUERY = "SELECT p.interface, p.public_key, group_concat(d.day || d.spans, '')"
            + " FROM peer_totals p CROSS JOIN session_day d ON d.interface = p.interface AND d.public_key = p.public_key"
            + " AND d.day >= (?1 - p.longest_ms) / 86400000 AND d.day <= (?2 - 1) / 86400000";
    /** Ends {@link #WINDOW_QUERY}, after any WHERE. */
    static final String WINDOW_GROUP = " GROUP BY p.interface, p.public_key";

    private SessionDays() {
    }

    /**
     * Over the rows of {@link #WINDOW_QUERY}: each peer's ended sessions overlapping [from, to) as the timeline's
     * JSON array, start and end in whole seconds after from as {@link SessionTable#secondsAfter} counts them, by
     * start then end.
     */
    static final class Cursor {
        private final ResultSet rows;
        private final long from;
        private final long to;
        private long[] pairs = new long[64];
        private final StringBuilder spansText = new StringBuilder(1024);
        private byte[] lastInterfaceBytes;
        private String lastInterface;
        private int length;
        private int at;

        Cursor(ResultSet rows, long from, long to) {
            this.rows = rows;
            this.from = from;
            this.to = to;
        }

        /** The next peer with a session in the window, null after the last. */
        PeerSpans next() throws SQLException {
            while (rows.next()) {
                length = 0;
                add(rows.getBytes(3));
                if (length > 0) {
                    return new PeerSpans(interfaceName(rows.getBytes(1)), text(rows.getBytes(2)), json(), null, null);
                }
            }
            return null;
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
         * The peer's sessions that overlap the window, as start, end pairs: a day, then its pairs, and so on. Parsed
         * from the bytes digit by digit: {@code Long.parseLong} over the text was most of the timeline's time.
         */
        private void add(byte[] days) {
            long dayStart = 0;
            at = 0;
            while (at < days.length) {
                long first = number(days);
                if (at >= days.length || days[at] != ' ') {
                    dayStart = first * DAY_MS;
                    at++;
                    continue;
                }
                at++;
                long start = dayStart + first;
                long end = start + number(days);
                at++;
                if (start < to && end > from) {
                    if (length == pairs.length) {
                        pairs = Arrays.copyOf(pairs, length * 2);
                    }
                    pairs[length++] = start;
                    pairs[length++] = end;
                }
            }
        }

        /** The decimal number at {@link #at}, which it leaves on the byte after it. */
        private long number(byte[] text) {
            boolean negative = at < text.length && text[at] == '-';
            if (negative) {
                at++;
            }
            long value = 0;
            while (at < text.length && text[at] >= '0' && text[at] <= '9') {
                value = value * 10 + text[at++] - '0';
            }
            return negative ? -value : value;
        }

        private String json() {
            sortByStartThenEnd();
            spansText.setLength(0);
            spansText.append('[');
            for (int i = 0; i < length; i++) {
                if (i > 0) {
                    spansText.append(',');
                }
                spansText.append(SessionTable.secondsAfter(from, pairs[i]));
            }
            return spansText.append(']').toString();
        }

        /** Sessions end in start order unless a peer's sessions overlapped (a restart gap closed late). */
        private void sortByStartThenEnd() {
            for (int i = 2; i < length; i += 2) {
                if (Arrays.compare(pairs, i - 2, i, pairs, i, i + 2) > 0) {
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
