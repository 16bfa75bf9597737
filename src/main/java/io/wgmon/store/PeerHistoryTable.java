package io.wgmon.store;

import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code peer_history} table; run its methods through {@link StoreDatabase#submit} or {@link StoreDatabase#call}. */
public final class PeerHistoryTable {
    private static final Logger LOG = Logger.getLogger(PeerHistoryTable.class);

    private PeerHistoryTable() {
    }

    /** The rows as one write; a failure is logged, tracking goes on. */
    public static StoreWrite write(List<PeerHistoryRow> rows) {
        List<PeerHistoryRow> copy = List.copyOf(rows);
        return new StoreWrite() {
            @Override
            public void apply(Connection connection) throws SQLException {
                try (PreparedStatement statement = connection.prepareStatement("""
                        INSERT INTO peer_history (interface, public_key, first_seen, last_handshake, stale_reported)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (interface, public_key) DO UPDATE SET
                            first_seen = excluded.first_seen, last_handshake = excluded.last_handshake,
                            stale_reported = excluded.stale_reported
                        """)) {
                    for (PeerHistoryRow row : copy) {
                        statement.setString(1, row.interfaceName());
                        statement.setString(2, row.publicKey());
                        statement.setLong(3, row.firstSeen().toEpochMilli());
                        setInstant(statement, 4, row.lastHandshake());
                        setInstant(statement, 5, row.staleReported());
                        statement.executeUpdate();
                    }
                }
            }

            @Override
            public void committed(boolean durable) {
                if (!durable) {
                    LOG.debugf("cannot save the history of %d peers; a restart may report peer.stale or "
                            + "peer.first-seen again", copy.size());
                }
            }
        };
    }

    public static List<PeerHistoryRow> all(Connection connection) throws SQLException {
        List<PeerHistoryRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT interface, public_key, first_seen, last_handshake, stale_reported
                FROM peer_history ORDER BY interface, public_key
                """);
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows.add(new PeerHistoryRow(result.getString(1), result.getString(2),
                        Instant.ofEpochMilli(result.getLong(3)), instant(result, 4), instant(result, 5)));
            }
        }
        return rows;
    }

    private static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, value.toEpochMilli());
        }
    }

    private static Instant instant(ResultSet result, int column) throws SQLException {
        long millis = result.getLong(column);
        return result.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
