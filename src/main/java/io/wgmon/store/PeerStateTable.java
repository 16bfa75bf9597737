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
import java.util.Optional;
import java.util.UUID;

/** The {@code peer_state} table; run its methods through {@link StoreDatabase#submit} or {@link StoreDatabase#call}. */
public final class PeerStateTable {
    private static final Logger LOG = Logger.getLogger(PeerStateTable.class);

    private PeerStateTable() {
    }

    /** The changes as one write, for a {@link StoreTransaction}; a failure is logged, the tracker goes on. */
    public static StoreWrite write(PeerStateChanges changes) {
        return new StoreWrite() {
            @Override
            public void apply(Connection connection) throws SQLException {
                for (PeerStateRow row : changes.upserts()) {
                    upsert(connection, row);
                }
                for (PeerStateKey key : changes.deletes()) {
                    delete(connection, key.interfaceName(), key.publicKey());
                }
                SessionTable.apply(connection, changes.sessions());
            }

            @Override
            public void committed(boolean durable) {
                if (!durable) {
                    LOG.debugf("cannot save the state of %d peers; a restart may report them again", changes.size());
                }
            }
        };
    }

    public static void upsert(Connection connection, PeerStateRow row) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO peer_state (interface, public_key, last_handshake, connected, connected_since,
                                        rx_bytes, tx_bytes, endpoint, updated_at, reported, last_activity,
                                        session_id, session_rx, session_tx)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (interface, public_key) DO UPDATE SET
                    last_handshake = excluded.last_handshake, connected = excluded.connected,
                    connected_since = excluded.connected_since, rx_bytes = excluded.rx_bytes,
                    tx_bytes = excluded.tx_bytes, endpoint = excluded.endpoint, updated_at = excluded.updated_at,
                    reported = excluded.reported, last_activity = excluded.last_activity,
                    session_id = excluded.session_id, session_rx = excluded.session_rx,
                    session_tx = excluded.session_tx
                """)) {
            statement.setString(1, row.interfaceName());
            statement.setString(2, row.publicKey());
            setInstant(statement, 3, row.lastHandshake());
            statement.setInt(4, row.connected() ? 1 : 0);
            setInstant(statement, 5, row.connectedSince());
            statement.setLong(6, row.rxBytes());
            statement.setLong(7, row.txBytes());
            statement.setString(8, row.endpoint().orElse(null));
            statement.setLong(9, row.updatedAt().toEpochMilli());
            statement.setInt(10, row.reported() ? 1 : 0);
            setInstant(statement, 11, row.lastActivity());
            if (row.session().isPresent()) {
                PeerStateRow.SessionStart session = row.session().get();
                statement.setString(12, session.id().toString());
                statement.setLong(13, session.rxBytes());
                statement.setLong(14, session.txBytes());
            } else {
                statement.setNull(12, Types.VARCHAR);
                statement.setNull(13, Types.INTEGER);
                statement.setNull(14, Types.INTEGER);
            }
            statement.executeUpdate();
        }
    }

    public static void delete(Connection connection, String interfaceName, String publicKey) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM peer_state WHERE interface = ? AND public_key = ?")) {
            statement.setString(1, interfaceName);
            statement.setString(2, publicKey);
            statement.executeUpdate();
        }
    }

    public static List<PeerStateRow> all(Connection connection) throws SQLException {
        List<PeerStateRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT interface, public_key, last_handshake, connected, connected_since, rx_bytes, tx_bytes,
                       endpoint, updated_at, reported, last_activity, session_id, session_rx, session_tx
                FROM peer_state ORDER BY interface, public_key
                """);
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows.add(new PeerStateRow(result.getString(1), result.getString(2), instant(result, 3),
                        result.getInt(4) != 0, instant(result, 5), result.getLong(6), result.getLong(7),
                        Optional.ofNullable(result.getString(8)), Instant.ofEpochMilli(result.getLong(9)),
                        result.getInt(10) != 0, instant(result, 11), session(result)));
            }
        }
        return rows;
    }

    private static Optional<PeerStateRow.SessionStart> session(ResultSet result) throws SQLException {
        String id = result.getString(12);
        if (id == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PeerStateRow.SessionStart(UUID.fromString(id), result.getLong(13),
                    result.getLong(14)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void setInstant(PreparedStatement statement, int index, Optional<Instant> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.get().toEpochMilli());
        } else {
            statement.setNull(index, Types.INTEGER);
        }
    }

    private static Optional<Instant> instant(ResultSet result, int column) throws SQLException {
        long millis = result.getLong(column);
        return result.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }
}
