package io.wgmon.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The {@code session} table (docs/architecture.md#store): one row per session, a connect to its disconnect.
 * Endpoints are one column, "millis endpoint" pairs joined by ';', the start's first: a session's history
 * is one row read, with no join. Written on the store thread; read on the reader connection.
 */
public final class SessionTable {
    /** Migration 4: the table, its indexes, and the open session of each peer in {@code peer_state}. */
    static final String MIGRATION = """
            CREATE TABLE session (
                id         TEXT    NOT NULL UNIQUE,
                interface  TEXT    NOT NULL,
                public_key TEXT    NOT NULL,
                name       TEXT,
                start_time INTEGER NOT NULL,
                end_time   INTEGER,
                end_reason TEXT,
                rx_bytes   INTEGER NOT NULL DEFAULT 0,
                tx_bytes   INTEGER NOT NULL DEFAULT 0,
                endpoint   TEXT,
                endpoints  TEXT    NOT NULL DEFAULT ''
            );
            CREATE INDEX session_start ON session (start_time);
            CREATE INDEX session_end ON session (end_time);
            CREATE INDEX session_peer_start ON session (public_key, start_time);
            ALTER TABLE peer_state ADD COLUMN session_id TEXT;
            ALTER TABLE peer_state ADD COLUMN session_rx INTEGER;
            ALTER TABLE peer_state ADD COLUMN session_tx INTEGER;
            """;
    /**
     * Migration 7 (the session-history scale work): the all-peers time window (the page's timeline) read from
     * one index alone, covering; it replaces the index on end_time alone, so a row still updates five B-trees.
     */
    static final String WINDOW_INDEX_MIGRATION = """
            CREATE INDEX session_window ON session (end_time, start_time, interface, public_key);
            DROP INDEX session_end;
            """;
    /** How far before a timeline's from a session may start and still be counted in whole seconds exactly. */
    private static final long SECONDS_BACK = 1_000_000_000L;
    /** SQLite's order of text (its bytes as UTF-8: the order of code points), by interface, then key. */
    private static final Comparator<PeerSpans> KEY_ORDER = Comparator
            .comparing(PeerSpans::interfaceName, SessionTable::compareCodePoints)
            .thenComparing(PeerSpans::publicKey, SessionTable::compareCodePoints);
    /**
     * Migration 8: per peer, its sessions and the milliseconds of the ended ones, kept by triggers in the
     * transaction that opens or ends a session, so start-up reads one row a peer instead of grouping every
     * session row; pruning leaves them alone, so the metrics built on them never go back.
     */
    static final String TOTALS_MIGRATION = """
            CREATE TABLE peer_totals (interface TEXT NOT NULL, public_key TEXT NOT NULL,
                sessions INTEGER NOT NULL, ended_ms INTEGER NOT NULL,
                PRIMARY KEY (interface, public_key)) WITHOUT ROWID;
            INSERT INTO peer_totals (interface, public_key, sessions, ended_ms)
                SELECT interface, public_key, count(*), coalesce(sum(end_time - start_time), 0)
                FROM session GROUP BY interface, public_key;
            CREATE TRIGGER session_opened AFTER INSERT ON session BEGIN
                INSERT INTO peer_totals (interface, public_key, sessions, ended_ms)
                    VALUES (new.interface, new.public_key, 1, coalesce(new.end_time - new.start_time, 0))
                    ON CONFLICT (interface, public_key) DO UPDATE SET sessions = sessions + 1,
                        ended_ms = ended_ms + coalesce(new.end_time - new.start_time, 0);
            END;
            CREATE TRIGGER session_ended AFTER UPDATE OF end_time ON session
                WHEN old.end_time IS NULL AND new.end_time IS NOT NULL BEGIN
                UPDATE peer_totals SET ended_ms = ended_ms + new.end_time - new.start_time
                    WHERE interface = new.interface AND public_key = new.public_key;
            END;
            """;
    /**
     * Migration 9: the timeline of all peers read peer by peer, in key order, with no sort: a peer's sessions by
     * start from one covering index (which also serves a peer's history, as the index it replaces did), from the
     * window's from less the peer's longest ended session, kept in {@code peer_totals} by the same triggers.
     */
    static final String PEER_WINDOW_MIGRATION = """
            CREATE INDEX session_peer_window ON session (public_key, start_time, end_time, interface);
            DROP INDEX session_peer_start;
            ALTER TABLE peer_totals ADD COLUMN longest_ms INTEGER NOT NULL DEFAULT 0;
            UPDATE peer_totals SET longest_ms = coalesce((SELECT max(end_time - start_time) FROM session
                WHERE public_key = peer_totals.public_key AND interface = peer_totals.interface), 0);
            DROP TRIGGER session_opened;
            DROP TRIGGER session_ended;
            CREATE TRIGGER session_opened AFTER INSERT ON session BEGIN
                INSERT INTO peer_totals (interface, public_key, sessions, ended_ms, longest_ms)
                    VALUES (new.interface, new.public_key, 1, coalesce(new.end_time - new.start_time, 0),
                        coalesce(new.end_time - new.start_time, 0))
                    ON CONFLICT (interface, public_key) DO UPDATE SET sessions = sessions + 1,
                        ended_ms = ended_ms + coalesce(new.end_time - new.start_time, 0),
                        longest_ms = max(longest_ms, coalesce(new.end_time - new.start_time, 0));
            END;
            CREATE TRIGGER session_ended AFTER UPDATE OF end_time ON session
                WHEN old.end_time IS NULL AND new.end_time IS NOT NULL BEGIN
                UPDATE peer_totals SET ended_ms = ended_ms + new.end_time - new.start_time,
                        longest_ms = max(longest_ms, new.end_time - new.start_time)
                    WHERE interface = new.interface AND public_key = new.public_key;
            END;
            """;
    /**
     * Migration 10, with {@link SessionDays#MIGRATION}: a peer's history read from one index holding every column,
     * in the peer's order, instead of a row a page scattered over the whole table (rows lie in the order they were
     * written, every peer's interleaved): a page of sessions comes from neighbouring index pages, so a cold page
     * cache costs a few reads instead of one a session. It replaces {@code session_peer_window}, so a session's
     * row still updates five B-trees (and the triggers' {@code session_day} row).
     */
    static final String PEER_PAGE_MIGRATION = """
            CREATE INDEX session_peer_page ON session (public_key, start_time, end_time, interface, id, name, end_reason,
                rx_bytes, tx_bytes, endpoint, endpoints);
            DROP INDEX session_peer_window;
            """;
    /** A roaming peer's endpoint list stops growing here (about 120 changes). */
    static final int MAX_ENDPOINTS_TEXT = 4096;

    private SessionTable() {
    }

    public static void apply(Connection connection, SessionChanges changes) throws SQLException {
        if (!changes.opened().isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT OR IGNORE INTO session (id, interface, public_key, name, start_time, endpoint, endpoints)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)) {
                for (SessionChanges.Opened opened : changes.opened()) {
                    statement.setString(1, opened.id().toString());
                    statement.setString(2, opened.interfaceName());
                    statement.setString(3, opened.publicKey());
                    statement.setString(4, opened.name());
                    statement.setLong(5, opened.start().toEpochMilli());
                    statement.setString(6, opened.endpoint());
                    statement.setString(7, opened.endpoint() == null ? ""
                            : opened.start().toEpochMilli() + " " + opened.endpoint());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        if (!changes.moved().isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE session SET endpoints = CASE WHEN endpoints = '' THEN ?1 ELSE endpoints || ';' || ?1 END
                    WHERE id = ?2 AND end_time IS NULL AND length(endpoints) < ?3
                    """)) {
                for (SessionChanges.Moved moved : changes.moved()) {
                    statement.setString(1, moved.time().toEpochMilli() + " " + moved.endpoint());
                    statement.setString(2, moved.id().toString());
                    statement.setInt(3, MAX_ENDPOINTS_TEXT);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        if (!changes.closed().isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement("""
                    UPDATE session SET end_time = max(start_time, ?), end_reason = ?, rx_bytes = ?, tx_bytes = ?
                    WHERE id = ? AND end_time IS NULL
                    """)) {
                for (SessionChanges.Closed closed : changes.closed()) {
                    statement.setLong(1, closed.end().toEpochMilli());
                    statement.setString(2, closed.reason());
                    statement.setLong(3, Math.max(0, closed.rxBytes()));
                    statement.setLong(4, Math.max(0, closed.txBytes()));
                    statement.setString(5, closed.id().toString());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
    }

    /**
     * Open sessions no connected {@code peer_state} row continues (its write was lost): ended
     * {@code wgmon-restart-gap} at the peer's last known activity, else at their start.
     */
    public static int closeOrphans(Connection connection, String reason) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE session SET end_reason = ?, end_time = max(start_time, coalesce(
                    (SELECT p.last_activity FROM peer_state p
                     WHERE p.interface = session.interface AND p.public_key = session.public_key), start_time))
                WHERE end_time IS NULL AND id NOT IN
                    (SELECT session_id FROM peer_state WHERE session_id IS NOT NULL AND connected = 1)
                """)) {
            statement.setString(1, reason);
            return statement.executeUpdate();
        }
    }

    /** Up to {@code filter.limit() + 1} rows, newest start first: one more than a page tells there is a next. */
    public static List<SessionRow> page(Connection connection, SessionFilter filter) throws SQLException {
        List<SessionRow> rows = new ArrayList<>();
        try {
            page(connection, filter, columns -> rows.add(columns.row()));
        } catch (IOException e) {
            throw new IllegalStateException("a list is not written", e);
        }
        return rows;
    }

    /** As {@link #page(Connection, SessionFilter)}, each row handed to {@code sink} as the query reads it. */
    public static void page(Connection connection, SessionFilter filter, SessionColumnsSink sink)
            throws SQLException, IOException {
        StringBuilder sql = new StringBuilder("SELECT " + SessionColumns.PACKED + " FROM session WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        filter.publicKey().ifPresent(key -> where(sql, values, " AND public_key = ?", key));
        filter.name().ifPresent(name -> where(sql, values, " AND name = ?", name));
        filter.interfaceName().ifPresent(name -> where(sql, values, " AND interface = ?", name));
        filter.to().ifPresent(to -> where(sql, values, " AND start_time < ?", to.toEpochMilli()));
        if (filter.from().isPresent()) {
            long from = filter.from().get().toEpochMilli();
            where(sql, values, " AND (end_time IS NULL OR end_time > ?)", from);
            where(sql, values, " AND start_time >= ?", earliestStartReaching(connection, from));
        }
        if (filter.openOnly()) {
            sql.append(" AND end_time IS NULL");
        }
        filter.after().ifPresent(cursor -> {
            sql.append(" AND (start_time < ? OR (start_time = ? AND rowid < ?))");
            values.add(cursor.startMillis());
            values.add(cursor.startMillis());
            values.add(cursor.rowId());
        });
        if (filter.publicKey().isPresent()) {
            // session_peer_page holds a peer's rows in start order but not in row order among equal starts: asked
            // for both, SQLite copies every row through a sorter; NewestFirst orders the rare equal starts instead
            sql.append(" ORDER BY start_time DESC");
        } else {
            sql.append(" ORDER BY start_time DESC, rowid DESC LIMIT ?");
            values.add((long) filter.limit() + 1);
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            bind(statement, values);
            try (ResultSet result = statement.executeQuery()) {
                NewestFirst page = new NewestFirst(filter.limit() + 1, sink);
                boolean more = true;
                while (more && result.next()) {
                    more = page.add(SessionColumns.parse(result.getBytes(1)));
                }
                page.finish();
            }
        }
    }

    /**
     * The earliest start of a session still open or ending after {@code from}: a bound on the start index
     * for an overlap query, so the last page of a window does not walk every older session.
     */
    private static long earliestStartReaching(Connection connection, long from) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT min(start_time) FROM (
                    SELECT start_time FROM session WHERE end_time > ?
                    UNION ALL SELECT start_time FROM session WHERE end_time IS NULL)
                """)) {
            statement.setLong(1, from);
            try (ResultSet result = statement.executeQuery()) {
                long earliest = result.getLong(1);
                return result.wasNull() ? Long.MAX_VALUE : earliest;
            }
        }
    }

    /**
     * Per peer, the sessions overlapping [from, to) (the page's timeline of all peers), handed to {@code sink} one
     * peer at a time in key order. The ended ones from {@code session_day} ({@link SessionDays}): the window's days'
     * rows, a cursor a day merged by key, with nothing sorted but the few rows of peers whose sessions reach back
     * further than a day. The open ones (the latest of a peer, should there be several) are merged in by key.
     */
    public static void timeline(Connection connection, Instant from, Instant to, String interfaceName,
                                PeerSpansSink sink) throws SQLException, IOException {
        String seconds = "((%s - (?1 - " + SECONDS_BACK * 1000 + ")) / 1000 - " + SECONDS_BACK + ")";
        try (PreparedStatement open = connection.prepareStatement(
                "SELECT interface, public_key, id, " + seconds.formatted("max(start_time)") + " FROM session"
                        + " WHERE end_time IS NULL AND start_time < ?2"
                        + (interfaceName == null ? "" : " AND interface = ?3")
                        + " GROUP BY interface, public_key ORDER BY interface, public_key");
             SessionDays.Cursor spans = new SessionDays.Cursor(connection, from.toEpochMilli(), to.toEpochMilli(),
                     interfaceName)) {
            bindWindow(open, from, to, interfaceName);
            try (ResultSet opens = open.executeQuery()) {
                PeerSpans nextSpans = spans.next();
                PeerSpans nextOpen = nextOpen(opens);
                while (nextSpans != null || nextOpen != null) {
                    int order = nextSpans == null ? 1 : nextOpen == null ? -1 : KEY_ORDER.compare(nextSpans, nextOpen);
                    if (order < 0) {
                        sink.accept(nextSpans);
                    } else if (order > 0) {
                        sink.accept(nextOpen);
                    } else {
                        sink.accept(new PeerSpans(nextSpans.interfaceName(), nextSpans.publicKey(), nextSpans.spans(),
                                nextOpen.openId(), nextOpen.openStart()));
                    }
                    if (order <= 0) {
                        nextSpans = spans.next();
                    }
                    if (order >= 0) {
                        nextOpen = nextOpen(opens);
                    }
                }
            }
        }
    }

    /**
     * A time as whole seconds after a timeline's from, rounded down also before it: (t - base) / 1000 less
     * {@link #SECONDS_BACK}, base = from less that many seconds, keeps the division's operand positive (the open
     * sessions' query counts them the same way in SQL).
     */
    static long secondsAfter(long from, long millis) {
        return (millis - (from - SECONDS_BACK * 1000)) / 1000 - SECONDS_BACK;
    }

    /** The next peer's open session of {@link #timeline}'s open query, null after the last. */
    private static PeerSpans nextOpen(ResultSet opens) throws SQLException {
        return opens.next() ? new PeerSpans(opens.getString(1), opens.getString(2), SpanSeconds.NONE, opens.getString(3),
                opens.getLong(4)) : null;
    }

    private static void bindWindow(PreparedStatement statement, Instant from, Instant to, String interfaceName)
            throws SQLException {
        statement.setLong(1, from.toEpochMilli());
        statement.setLong(2, to.toEpochMilli());
        if (interfaceName != null) {
            statement.setString(3, interfaceName);
        }
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Whether any session of a peer with this key is kept. */
    public static boolean knows(Connection connection, String publicKey) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM session WHERE public_key = ? LIMIT 1")) {
            statement.setString(1, publicKey);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    /** Per peer, the sessions overlapping [from, to), an open one reaching to {@code now}. */
    public static List<PeerSummaryRow> summary(Connection connection, Instant from, Instant to, String interfaceName,
                                               Instant now) throws SQLException {
        String sql = """
                SELECT interface, public_key, name, max(start_time), count(*),
                       sum(max(0, min(coalesce(end_time, ?1), ?3) - max(start_time, ?2))), sum(rx_bytes), sum(tx_bytes)
                FROM session WHERE start_time < ?3 AND (end_time IS NULL OR end_time > ?2)
                """ + (interfaceName == null ? "" : " AND interface = ?4")
                + " GROUP BY interface, public_key ORDER BY interface, public_key";
        List<PeerSummaryRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, now.toEpochMilli());
            statement.setLong(2, from.toEpochMilli());
            statement.setLong(3, to.toEpochMilli());
            if (interfaceName != null) {
                statement.setString(4, interfaceName);
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new PeerSummaryRow(result.getString(1), result.getString(2), result.getString(3),
                            result.getLong(5), result.getLong(6) / 1000, result.getLong(7), result.getLong(8)));
                }
            }
        }
        return rows;
    }

    /**
     * Deletes up to {@code batch} ended sessions that ended before {@code cutoff}, the earliest ended first: in
     * the order of {@code session_window}, so a batch reads its rows and no more (ordered by start, each batch
     * sorted every row past the cutoff).
     */
    public static int pruneEndedBefore(Connection connection, Instant cutoff, int batch) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                DELETE FROM session WHERE rowid IN (SELECT rowid FROM session
                    WHERE end_time IS NOT NULL AND end_time < ?1 ORDER BY end_time LIMIT ?2)
                """)) {
            statement.setLong(1, cutoff.toEpochMilli());
            statement.setInt(2, batch);
            return statement.executeUpdate();
        }
    }

    /** Deletes the {@code count} oldest ended sessions (at most). */
    public static int pruneOldest(Connection connection, int count) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                DELETE FROM session WHERE rowid IN (SELECT rowid FROM session
                    WHERE end_time IS NOT NULL ORDER BY start_time LIMIT ?)
                """)) {
            statement.setInt(1, count);
            return statement.executeUpdate();
        }
    }

    /**
     * Per peer, its sessions and the seconds of the ended ones since the history began (pruning does not lower
     * them); read once at start for the metrics, one row a peer.
     */
    public static List<PeerSessionTotals> totals(Connection connection) throws SQLException {
        List<PeerSessionTotals> totals = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT interface, public_key, sessions, ended_ms / 1000 FROM peer_totals");
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                totals.add(new PeerSessionTotals(result.getString(1), result.getString(2), result.getLong(3),
                        result.getLong(4)));
            }
        }
        return totals;
    }

    public static long count(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM session");
             ResultSet result = statement.executeQuery()) {
            return result.getLong(1);
        }
    }

    private static void where(StringBuilder sql, List<Object> values, String clause, Object value) {
        sql.append(clause);
        values.add(value);
    }

    private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value instanceof Long number) {
                statement.setLong(i + 1, number);
            } else if (value == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else {
                statement.setString(i + 1, value.toString());
            }
        }
    }

    static List<SessionRow.EndpointAt> endpoints(String text) {
        List<SessionRow.EndpointAt> list = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return list;
        }
        for (String pair : text.split(";")) {
            int space = pair.indexOf(' ');
            if (space > 0) {
                try {
                    list.add(new SessionRow.EndpointAt(Instant.ofEpochMilli(Long.parseLong(pair.substring(0, space))),
                            pair.substring(space + 1)));
                } catch (NumberFormatException e) {
                    // a pair the store did not write: skipped
                }
            }
        }
        return list;
    }
}
