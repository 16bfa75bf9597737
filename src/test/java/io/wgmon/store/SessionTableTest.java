package io.wgmon.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session rows written through the store thread and read back on the reader connection. */
class SessionTableTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    private static final String BOB = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

    @TempDir
    Path dir;

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private static UUID id(int n) {
        return new UUID(0, n);
    }

    private static SessionChanges.Opened open(int n, String key, String name, long start, String endpoint) {
        return new SessionChanges.Opened(id(n), "wg0", key, name, at(start), endpoint);
    }

    private static SessionChanges opened(SessionChanges.Opened... opened) {
        return new SessionChanges(List.of(opened), List.of(), List.of());
    }

    private static SessionChanges closed(int n, long end, String reason, long rx, long tx) {
        return new SessionChanges(List.of(), List.of(),
                List.of(new SessionChanges.Closed(id(n), at(end), reason, rx, tx)));
    }

    private static void write(StoreDatabase database, SessionChanges changes) {
        database.call(connection -> {
            SessionTable.apply(connection, changes);
            return null;
        });
    }

    private static SessionFilter all(int limit) {
        return new SessionFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, limit, Optional.empty());
    }

    @Test
    void aSessionIsOpenedMovedAndClosedWithItsBytesAndEveryEndpoint() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            write(database, opened(open(1, ALICE, "alice", 0, "192.0.2.2:51820")));
            write(database, new SessionChanges(List.of(), List.of(
                    new SessionChanges.Moved(id(1), at(30), "198.51.100.7:40000")), List.of()));
            SessionRow open = database.sessions().page(all(10)).get(0);
            assertTrue(open.open());
            assertNull(open.endReason());
            write(database, closed(1, 300, "idle", 1000, 2000));
            write(database, closed(1, 900, "removed", 5, 5));

            SessionRow row = database.sessions().page(all(10)).get(0);
            assertEquals(id(1), row.id());
            assertEquals("wg0", row.interfaceName());
            assertEquals(ALICE, row.publicKey());
            assertEquals("alice", row.name());
            assertEquals(at(0), row.start());
            assertEquals(at(300), row.end(), "a second close changes nothing");
            assertEquals("idle", row.endReason());
            assertEquals(1000, row.rxBytes());
            assertEquals(2000, row.txBytes());
            assertEquals("192.0.2.2:51820", row.endpoint());
            assertEquals(List.of(new SessionRow.EndpointAt(at(0), "192.0.2.2:51820"),
                    new SessionRow.EndpointAt(at(30), "198.51.100.7:40000")), row.endpoints());
        }
    }

    @Test
    void filtersSelectByPeerNameInterfaceOverlapAndOpen() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            write(database, opened(open(1, ALICE, "alice", 0, null), open(2, BOB, "bob", 100, null),
                    open(3, ALICE, "alice", 1000, null)));
            write(database, closed(1, 500, "idle", 1, 1));
            write(database, closed(2, 200, "idle", 1, 1));
            SessionReader reader = database.sessions();
            assertEquals(List.of(id(3), id(1)), ids(reader.page(new SessionFilter(Optional.of(ALICE), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), false, 10, Optional.empty()))));
            assertEquals(List.of(id(2)), ids(reader.page(new SessionFilter(Optional.empty(), Optional.of("bob"),
                    Optional.empty(), Optional.empty(), Optional.empty(), false, 10, Optional.empty()))));
            assertEquals(List.of(), ids(reader.page(new SessionFilter(Optional.empty(), Optional.empty(),
                    Optional.of("wg1"), Optional.empty(), Optional.empty(), false, 10, Optional.empty()))));
            assertEquals(List.of(id(3)), ids(reader.page(new SessionFilter(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), true, 10, Optional.empty()))));
            assertEquals(List.of(id(1)), ids(reader.page(new SessionFilter(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(at(300)), Optional.of(at(1000)), false, 10, Optional.empty()))),
                    "[300, 1000): alice's first overlaps, bob's ended at 200, alice's second starts at 1000");
            assertEquals(List.of(id(3), id(1)), ids(reader.page(new SessionFilter(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(at(300)), Optional.empty(), false, 10, Optional.empty()))),
                    "an open session reaches on");
            assertTrue(reader.knows(ALICE));
            assertFalse(reader.knows("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        }
    }

    @Test
    void pagesFollowTheCursorWithoutRepeatsOrGaps() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            List<SessionChanges.Opened> many = new ArrayList<>();
            for (int i = 1; i <= 25; i++) {
                many.add(open(i, ALICE, null, i / 2, null));
            }
            write(database, new SessionChanges(many, List.of(), List.of()));
            List<UUID> seen = new ArrayList<>();
            Optional<SessionCursor> after = Optional.empty();
            do {
                List<SessionRow> rows = database.sessions().page(new SessionFilter(Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), false, 10, after));
                rows.stream().limit(10).forEach(row -> seen.add(row.id()));
                after = rows.size() > 10 ? Optional.of(rows.get(9).position()) : Optional.empty();
                after = after.map(cursor -> SessionCursor.parse(cursor.text()).orElseThrow());
            } while (after.isPresent());
            assertEquals(25, seen.size());
            assertEquals(25, Set.copyOf(seen).size());
            assertEquals(id(25), seen.get(0), "newest start first, later row first among equal starts");
        }
    }

    /**
     * A peer's page comes in start order from its index and has its equal starts put in row order by wgmon, not by
     * SQLite: the same order as every peer's page, across page ends, with a run of equal starts longer than a page.
     */
    @Test
    void aPeersPagesHaveEqualStartsLaterRowFirstAcrossPageEnds() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            List<SessionChanges.Opened> many = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                long start = i <= 12 ? 0 : i / 3;
                many.add(open(i, i % 7 == 0 ? BOB : ALICE, null, start, null));
            }
            // written newest first, so that the row order is not the order of the ids the index also holds
            Collections.reverse(many);
            write(database, new SessionChanges(many, List.of(), List.of()));
            List<SessionRow> everyPeer = database.sessions().page(all(100));
            List<UUID> expected = everyPeer.stream().filter(row -> row.publicKey().equals(ALICE))
                    .map(SessionRow::id).toList();
            for (int limit : List.of(1, 3, 5, 100)) {
                List<UUID> seen = new ArrayList<>();
                Optional<SessionCursor> after = Optional.empty();
                do {
                    List<SessionRow> rows = database.sessions().page(new SessionFilter(Optional.of(ALICE),
                            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, limit, after));
                    assertTrue(rows.size() <= limit + 1);
                    rows.stream().limit(limit).forEach(row -> seen.add(row.id()));
                    after = rows.size() > limit ? Optional.of(rows.get(limit - 1).position()) : Optional.empty();
                } while (after.isPresent());
                assertEquals(expected, seen, "pages of " + limit);
            }
            assertEquals(35, expected.size());
            assertEquals(id(12), expected.get(expected.size() - 1), "written first, the lowest row of start 0, last");
        }
    }

    /** Values no scan writes, read back through the packed row as the driver reads each column. */
    @Test
    void aPageReadsEveryValueAsTheDriverReadsItsColumn() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            database.call(connection -> {
                try (var insert = connection.prepareStatement("INSERT INTO session (id, interface, public_key, name,"
                        + " start_time, end_time, end_reason, rx_bytes, tx_bytes, endpoint, endpoints)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    Object[][] rows = {
                            {id(1).toString(), "wg\u0000 0", ALICE, "\u00e9\u0000 1 2 3:\ud83d\ude00 \"q\" ;", -1500L,
                                    null, null, Long.MIN_VALUE, Long.MAX_VALUE, null, ""},
                            {id(2).toString(), "", ALICE, "", Long.MAX_VALUE - 1, Long.MAX_VALUE, "", -1L, 0L, "",
                                    "1 a;2 b"},
                            {id(3).toString(), "wg0", ALICE, new byte[] {(byte) 0xff, 0, (byte) 0xc3, 'x'}, 1.75, 2.5,
                                    "12x", "7 apples", 3.9, new byte[] {(byte) 0xe2, (byte) 0x82}, "9 \u0000;"}};
                    for (Object[] row : rows) {
                        for (int i = 0; i < row.length; i++) {
                            insert.setObject(i + 1, row[i]);
                        }
                        insert.executeUpdate();
                    }
                }
                return null;
            });
            List<SessionRow> expected = database.call(connection -> {
                List<SessionRow> rows = new ArrayList<>();
                try (var query = connection.createStatement(); var result = query.executeQuery("SELECT rowid, id,"
                        + " interface, public_key, name, start_time, end_time, end_reason, rx_bytes, tx_bytes, endpoint,"
                        + " endpoints FROM session ORDER BY rowid DESC")) {
                    while (result.next()) {
                        long start = result.getLong(6);
                        long end = result.getLong(7);
                        Instant ended = result.wasNull() ? null : Instant.ofEpochMilli(end);
                        rows.add(new SessionRow(UUID.fromString(result.getString(2)), result.getString(3),
                                result.getString(4), result.getString(5), Instant.ofEpochMilli(start), ended,
                                result.getString(8), result.getLong(9), result.getLong(10), result.getString(11),
                                SessionTable.endpoints(result.getString(12)), new SessionCursor(start, result.getLong(1))));
                    }
                }
                return rows;
            });
            assertEquals(3, expected.size());
            assertEquals(Set.copyOf(expected), Set.copyOf(database.sessions().page(all(10))));
            assertEquals(Set.copyOf(expected), Set.copyOf(database.sessions().page(new SessionFilter(Optional.of(ALICE),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, 10, Optional.empty()))));
        }
    }

    @Test
    void aCursorNotMadeByTheApiIsRefused() {
        assertTrue(SessionCursor.parse("bm9wZQ").isEmpty());
        assertTrue(SessionCursor.parse("!!").isEmpty());
        assertTrue(SessionCursor.parse("x".repeat(100)).isEmpty());
        SessionCursor cursor = new SessionCursor(1764547200000L, 42);
        assertEquals(Optional.of(cursor), SessionCursor.parse(cursor.text()));
    }

    @Test
    void theSummaryCountsSessionsSecondsInsideTheWindowAndBytes() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            write(database, opened(open(1, ALICE, "old-name", 0, null), open(2, ALICE, "alice", 1000, null),
                    open(3, BOB, "bob", 2000, null)));
            write(database, closed(1, 600, "idle", 10, 20));
            write(database, closed(2, 1100, "idle", 1, 2));
            List<PeerSummaryRow> rows = database.sessions().summary(at(300), at(3000), null, at(2500));
            assertEquals(List.of(new PeerSummaryRow("wg0", ALICE, "alice", 2, 300 + 100, 11, 22),
                    new PeerSummaryRow("wg0", BOB, "bob", 1, 500, 0, 0)), rows,
                    "alice: 300 s of the first inside, 100 s of the second; bob open to now");
        }
    }

    @Test
    void theTimelineHasEachPeersSpansByStartInWholeSecondsAfterFromAndItsLatestOpenSession() throws Exception {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            write(database, opened(open(1, ALICE, "alice", 0, null), open(2, ALICE, "alice", 100, null),
                    open(3, BOB, "bob", 50, null)));
            write(database, closed(2, 200, "idle", 0, 0));
            write(database, closed(1, 5000, "idle", 0, 0));
            write(database, closed(3, 60, "idle", 0, 0));
            write(database, opened(open(4, ALICE, "alice", 6000, null), open(5, ALICE, "alice", 7000, null)));
            Instant from = at(100).plusMillis(1500);

            List<PeerSpans> peers = new ArrayList<>();
            assertTrue(database.timelines().read(from, at(8000), null, peers::add));

            assertEquals(List.of(new PeerSpans("wg0", ALICE, SpanSeconds.of(-102, 4898, -2, 98), id(5).toString(),
                    6898L)), peers,
                    "alice's spans by start though the second ended first; seconds rounded down before from; "
                            + "bob's session ended before from");

            peers.clear();
            assertTrue(database.timelines().read(at(0), at(150), null, peers::add));
            assertEquals(List.of(new PeerSpans("wg0", ALICE, SpanSeconds.of(0, 5000, 100, 200), null, null),
                    new PeerSpans("wg0", BOB, SpanSeconds.of(50, 60), null, null)), peers, "the open sessions start after to");
        }
    }

    @Test
    void aStoreMadeBeforeTheLongestSessionWasKeptHasItOnItsFirstStart() throws Exception {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            write(database, opened(open(1, ALICE, "alice", 0, null), open(2, BOB, "bob", 3990, null)));
            write(database, closed(1, 5000, "idle", 0, 0));
            write(database, closed(2, 4010, "idle", 0, 0));
            database.call(connection -> {
                try (var statement = connection.createStatement()) {
                    // the store as migration 8 left it
                    statement.execute("DROP TRIGGER session_day_inserted");
                    statement.execute("DROP TRIGGER session_day_ended");
                    statement.execute("DROP TRIGGER session_day_pruned");
                    statement.execute("DROP TABLE session_day");
                    statement.execute("DROP TRIGGER session_opened");
                    statement.execute("DROP TRIGGER session_ended");
                    statement.execute("ALTER TABLE peer_totals DROP COLUMN longest_ms");
                    statement.execute("DROP INDEX session_peer_page");
                    statement.execute("CREATE INDEX session_peer_start ON session (public_key, start_time)");
                    for (String ddl : Schema.statements(SessionTable.TOTALS_MIGRATION)) {
                        if (ddl.strip().startsWith("CREATE TRIGGER")) {
                            statement.execute(ddl);
                        }
                    }
                    statement.execute("PRAGMA user_version = 8");
                }
                return null;
            });
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            List<PeerSpans> peers = new ArrayList<>();
            assertTrue(database.timelines().read(at(4000), at(4100), null, peers::add));
            assertEquals(List.of(new PeerSpans("wg0", ALICE, SpanSeconds.of(-4000, 1000), null, null),
                    new PeerSpans("wg0", BOB, SpanSeconds.of(-10, 10), null, null)), peers,
                    "alice's session began 4,000 s before from: the migration took her longest session");
        }
    }

    @Test
    void pruningDeletesEndedRowsOldestFirstAndNeverAnOpenOne() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            write(database, opened(open(1, ALICE, null, 0, null), open(2, ALICE, null, 100, null),
                    open(3, ALICE, null, 200, null), open(4, BOB, null, 50, null)));
            write(database, closed(1, 10, "idle", 0, 0));
            write(database, closed(2, 110, "idle", 0, 0));
            write(database, closed(3, 210, "idle", 0, 0));
            assertEquals(1, (int) database.call(connection -> SessionTable.pruneEndedBefore(connection, at(150), 1)));
            assertEquals(1, (int) database.call(connection -> SessionTable.pruneEndedBefore(connection, at(150), 1)));
            assertEquals(0, (int) database.call(connection -> SessionTable.pruneEndedBefore(connection, at(150), 1)));
            assertEquals(1, (int) database.call(connection -> SessionTable.pruneOldest(connection, 5)),
                    "only the ended one left");
            assertEquals(List.of(id(4)), ids(database.sessions().page(all(10))));
            assertEquals(1L, (long) database.call(SessionTable::count));
        }
    }

    @Test
    void thePeerTotalsCountEverySessionAndItsSecondsOnceAndOutlivePruning() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            write(database, opened(open(1, ALICE, null, 0, null), open(2, ALICE, null, 100, null),
                    open(3, BOB, null, 50, null)));
            write(database, opened(open(1, ALICE, null, 0, null)));
            write(database, closed(1, 10, "idle", 0, 0));
            write(database, closed(1, 20, "idle", 0, 0));
            write(database, closed(2, 130, "removed", 0, 0));
            assertEquals(List.of("wg0 " + ALICE + " 2 40", "wg0 " + BOB + " 1 0"), totals(database),
                    "a repeated open or close counts once; an open session counts no seconds yet");
            assertEquals(2, (int) database.call(connection -> SessionTable.pruneEndedBefore(connection, at(500), 10)));
            assertEquals(List.of("wg0 " + ALICE + " 2 40", "wg0 " + BOB + " 1 0"), totals(database),
                    "pruning does not lower them");
            database.call(connection -> SessionTable.closeOrphans(connection, "wgmon-restart-gap"));
            assertEquals(List.of("wg0 " + ALICE + " 2 40", "wg0 " + BOB + " 1 0"), totals(database),
                    "an orphan with no known activity ends at its start: no seconds");
        }
    }

    @Test
    void aTriggersStatementsStayTogetherWhenAMigrationIsSplit() {
        String trigger = "\nCREATE TRIGGER x AFTER INSERT ON t BEGIN\n UPDATE t SET a = 1;\n UPDATE t SET a = 2;\nEND";
        assertEquals(List.of("CREATE TABLE t (a)", trigger, "\nDROP TABLE u"),
                Schema.statements("CREATE TABLE t (a);" + trigger + ";\nDROP TABLE u;\n"));
    }

    private static List<String> totals(StoreDatabase database) {
        return database.call(SessionTable::totals).stream()
                .map(t -> t.interfaceName() + " " + t.publicKey() + " " + t.sessions() + " " + t.endedSeconds())
                .sorted().toList();
    }

    @Test
    void aRoamingPeersEndpointListStopsGrowing() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            write(database, opened(open(1, ALICE, null, 0, "192.0.2.2:51820")));
            for (int i = 0; i < 300; i++) {
                write(database, new SessionChanges(List.of(), List.of(
                        new SessionChanges.Moved(id(1), at(i + 1), "198.51.100." + (i % 250) + ":40000")), List.of()));
            }
            SessionRow row = database.sessions().page(all(1)).get(0);
            assertTrue(row.endpoints().size() < 200, "bounded: " + row.endpoints().size());
        }
    }

    @Test
    void anOpenSessionNoSavedPeerContinuesIsEndedAsARestartGap() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            write(database, opened(open(1, ALICE, null, 0, null), open(2, BOB, null, 10, null)));
            database.call(connection -> {
                PeerStateTable.upsert(connection, new PeerStateRow("wg0", BOB, Optional.empty(), true,
                        Optional.of(at(10)), 0, 0, Optional.empty(), at(20), true, Optional.of(at(15)),
                        Optional.of(new PeerStateRow.SessionStart(id(2), 0, 0))));
                PeerStateTable.upsert(connection, new PeerStateRow("wg0", ALICE, Optional.empty(), false,
                        Optional.empty(), 0, 0, Optional.empty(), at(20), false, Optional.of(at(40)),
                        Optional.empty()));
                return null;
            });
            assertEquals(1, (int) database.call(connection -> SessionTable.closeOrphans(connection, "wgmon-restart-gap")));
            List<SessionRow> rows = database.sessions().page(all(10));
            assertTrue(rows.get(0).open(), "bob's session is continued by his saved state");
            assertEquals("wgmon-restart-gap", rows.get(1).endReason());
            assertEquals(at(40), rows.get(1).end(), "alice's last known activity");
        }
    }

    private static List<UUID> ids(List<SessionRow> rows) {
        return rows.stream().map(SessionRow::id).toList();
    }
}
