package io.wgmon.delivery;

import io.wgmon.delivery.queue.DeliveryStore;
import io.wgmon.delivery.queue.SqliteDeliveryStore;
import io.wgmon.store.DeliveryTable;
import io.wgmon.store.StoreDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Looks into a store from the outside, through a connection of its own, as another process would: it sees
 * exactly what was committed. Works while a dispatcher has the store open (WAL readers do not block).
 */
public final class StoreInspector {
    private StoreInspector() {
    }

    /** The receiver's committed undelivered rows, oldest first. */
    public static List<DeliveryStore.Stored> undelivered(Path dir, String receiver) {
        try (Connection connection = StoreDatabase.connect(dir)) {
            return DeliveryTable.undelivered(connection, receiver);
        } catch (SQLException e) {
            throw new AssertionError("cannot read the store in " + dir, e);
        }
    }

    public static List<String> ids(Path dir, String receiver) {
        return undelivered(dir, receiver).stream().map(stored -> stored.delivery().id()).toList();
    }

    /** What the committed rows count against spool-max-size. */
    public static long bytes(Path dir, String receiver) {
        return undelivered(dir, receiver).stream().mapToLong(stored -> SqliteDeliveryStore.cost(stored.delivery()))
                .sum();
    }

    static List<String> receivers(Path dir) {
        try (Connection connection = StoreDatabase.connect(dir)) {
            return DeliveryTable.receivers(connection);
        } catch (SQLException e) {
            throw new AssertionError("cannot read the store in " + dir, e);
        }
    }
}
