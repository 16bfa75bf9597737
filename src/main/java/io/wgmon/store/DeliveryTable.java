package io.wgmon.store;

import io.wgmon.delivery.format.Delivery;
import io.wgmon.delivery.format.Payload;
import io.wgmon.delivery.queue.DeliveryStore;
import io.wgmon.tracking.PeerKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code delivery} and {@code receiver} tables (docs/architecture.md#store): one row per undelivered
 * event per receiver, keyed by the receiver's spool name and the delivery's sequence number. The rendered
 * body is kept rather than the event, so a restart sends exactly the bytes it would have sent; the
 * signature is not kept but computed again with the current secret. Called on the store thread only.
 */
public final class DeliveryTable {
    private DeliveryTable() {
    }

    public static void register(Connection connection, String receiver) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT OR IGNORE INTO receiver (name) VALUES (?)")) {
            statement.setString(1, receiver);
            statement.executeUpdate();
        }
    }

    public static void insert(Connection connection, String receiver, long seq, Delivery delivery) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO delivery (receiver, seq, interface, public_key, event_type, event_id,
                                                event_time, content_type, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)) {
            statement.setString(1, receiver);
            statement.setLong(2, seq);
            statement.setString(3, delivery.peer().interfaceName());
            statement.setString(4, delivery.peer().publicKey());
            statement.setString(5, delivery.eventType());
            statement.setString(6, delivery.id());
            statement.setLong(7, delivery.time().toEpochMilli());
            statement.setString(8, delivery.payload().contentType());
            statement.setBytes(9, delivery.payload().body());
            statement.executeUpdate();
        }
    }

    public static void delete(Connection connection, String receiver, List<Long> seqs) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM delivery WHERE receiver = ? AND seq = ?")) {
            for (long seq : seqs) {
                statement.setString(1, receiver);
                statement.setLong(2, seq);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Adds {@code change} (+1 before an attempt, -1 after one that did not finish) to each row's started count. */
    public static void countStarted(Connection connection, String receiver, List<Long> seqs, int change) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE delivery SET started = max(0, started + ?) WHERE receiver = ? AND seq = ?")) {
            for (long seq : seqs) {
                statement.setInt(1, change);
                statement.setString(2, receiver);
                statement.setLong(3, seq);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** The receiver's undelivered rows, oldest first, unsigned. */
    public static List<DeliveryStore.Stored> undelivered(Connection connection, String receiver) throws SQLException {
        List<DeliveryStore.Stored> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT seq, interface, public_key, event_type, event_id, event_time, content_type, body, started
                FROM delivery WHERE receiver = ? ORDER BY seq
                """)) {
            statement.setString(1, receiver);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Delivery delivery = new Delivery(new PeerKey(result.getString(2), result.getString(3)),
                            result.getString(4), result.getString(5), Instant.ofEpochMilli(result.getLong(6)),
                            new Payload(result.getBytes(8), result.getString(7)), null);
                    rows.add(new DeliveryStore.Stored(result.getLong(1), delivery, result.getInt(9)));
                }
            }
        }
        return rows;
    }

    /** Undelivered rows per receiver name. */
    public static Map<String, Integer> undeliveredByReceiver(Connection connection) throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT receiver, count(*) FROM delivery GROUP BY receiver ORDER BY receiver");
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                counts.put(result.getString(1), result.getInt(2));
            }
        }
        return counts;
    }

    public static List<String> receivers(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT name FROM receiver ORDER BY name");
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                names.add(result.getString(1));
            }
        }
        return names;
    }
}
