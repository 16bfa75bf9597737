package io.wgmon.store;

import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code peer_down} and {@code peer_quota} tables (docs/architecture.md#expectations): which always-on
 * peers were reported down, and the highest quota threshold each peer was reported at in its period.
 * Run the methods through {@link StoreDatabase#submit} or {@link StoreDatabase#call}.
 */
public final class ExpectationTables {
    private static final Logger LOG = Logger.getLogger(ExpectationTables.class);

    /** Migration 6. */
    static final String MIGRATION = """
            CREATE TABLE peer_down (
                interface  TEXT    NOT NULL,
                public_key TEXT    NOT NULL,
                since      INTEGER NOT NULL,
                reported   INTEGER NOT NULL,
                PRIMARY KEY (interface, public_key)
            ) WITHOUT ROWID;
            CREATE TABLE peer_quota (
                interface    TEXT    NOT NULL,
                public_key   TEXT    NOT NULL,
                period_start INTEGER NOT NULL,
                percent      INTEGER NOT NULL,
                session_id   TEXT,
                session_before INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (interface, public_key)
            ) WITHOUT ROWID;
            """;

    /**
     * An always-on peer reported down.
     *
     * @param since its last handshake before, or when wgmon began to watch it without one
     */
    public record DownRow(String interfaceName, String publicKey, Instant since, Instant reported) {
    }

    /**
     * The highest threshold reported for a peer in the period beginning at {@code periodStart} (0: none yet),
     * and the bytes its session {@code sessionId} had when the period began (they count in the one before).
     */
    public record QuotaRow(String interfaceName, String publicKey, Instant periodStart, int percent, String sessionId,
                           long sessionBefore) {
    }

    /** A peer's bytes (rx + tx) over the sessions that ended since some instant. */
    public record EndedBytes(String interfaceName, String publicKey, long bytes) {
    }

    private ExpectationTables() {
    }

    public static List<DownRow> downs(Connection connection) throws SQLException {
        List<DownRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT interface, public_key, since, reported FROM peer_down");
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows.add(new DownRow(result.getString(1), result.getString(2), Instant.ofEpochMilli(result.getLong(3)),
                        Instant.ofEpochMilli(result.getLong(4))));
            }
        }
        return rows;
    }

    public static List<QuotaRow> quotas(Connection connection) throws SQLException {
        List<QuotaRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT interface, public_key, period_start, percent, session_id, session_before FROM peer_quota");
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows.add(new QuotaRow(result.getString(1), result.getString(2), Instant.ofEpochMilli(result.getLong(3)),
                        result.getInt(4), result.getString(5), result.getLong(6)));
            }
        }
        return rows;
    }

    /** Per peer, the bytes of its sessions that ended at or after {@code from} (the open ones are in memory). */
    public static List<EndedBytes> endedSince(Connection connection, Instant from) throws SQLException {
        List<EndedBytes> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT interface, public_key, sum(rx_bytes + tx_bytes) FROM session
                WHERE end_time >= ? GROUP BY interface, public_key
                """)) {
            statement.setLong(1, from.toEpochMilli());
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new EndedBytes(result.getString(1), result.getString(2), result.getLong(3)));
                }
            }
        }
        return rows;
    }

    /** Down rows written, up peers' rows deleted, quota rows written, as one write; a failure is logged. */
    public static StoreWrite write(List<DownRow> down, List<DownRow> up, List<QuotaRow> quota) {
        List<DownRow> downs = List.copyOf(down);
        List<DownRow> ups = List.copyOf(up);
        List<QuotaRow> quotas = List.copyOf(quota);
        return new StoreWrite() {
            @Override
            public void apply(Connection connection) throws SQLException {
                try (PreparedStatement insert = connection.prepareStatement("""
                        INSERT OR REPLACE INTO peer_down (interface, public_key, since, reported) VALUES (?, ?, ?, ?)
                        """);
                     PreparedStatement delete = connection.prepareStatement(
                             "DELETE FROM peer_down WHERE interface = ? AND public_key = ?");
                     PreparedStatement reached = connection.prepareStatement("""
                             INSERT OR REPLACE INTO peer_quota (interface, public_key, period_start, percent,
                                 session_id, session_before)
                             VALUES (?, ?, ?, ?, ?, ?)
                             """)) {
                    for (DownRow row : ups) {
                        delete.setString(1, row.interfaceName());
                        delete.setString(2, row.publicKey());
                        delete.executeUpdate();
                    }
                    for (DownRow row : downs) {
                        insert.setString(1, row.interfaceName());
                        insert.setString(2, row.publicKey());
                        insert.setLong(3, row.since().toEpochMilli());
                        insert.setLong(4, row.reported().toEpochMilli());
                        insert.executeUpdate();
                    }
                    for (QuotaRow row : quotas) {
                        reached.setString(1, row.interfaceName());
                        reached.setString(2, row.publicKey());
                        reached.setLong(3, row.periodStart().toEpochMilli());
                        reached.setInt(4, row.percent());
                        reached.setString(5, row.sessionId());
                        reached.setLong(6, row.sessionBefore());
                        reached.executeUpdate();
                    }
                }
            }

            @Override
            public void committed(boolean durable) {
                if (!durable) {
                    LOG.errorf("cannot save %d peer.down/peer.up and %d peer.quota reports; a restart may report them "
                            + "again", downs.size() + ups.size(), quotas.size());
                }
            }
        };
    }
}
