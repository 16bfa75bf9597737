package io.wgmon.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes that commit in one transaction, in the order added, or not at all (docs/architecture.md#store):
 * submitted to {@link StoreDatabase#submit} as one write, and retried alone as one after a failed group.
 * Built on one thread, then handed over; each write hears the outcome once.
 */
public final class StoreTransaction implements StoreWrite {
    private final List<StoreWrite> writes = new ArrayList<>();

    public void add(StoreWrite write) {
        writes.add(write);
    }

    public boolean isEmpty() {
        return writes.isEmpty();
    }

    @Override
    public void apply(Connection connection) throws SQLException {
        for (StoreWrite write : writes) {
            write.apply(connection);
        }
    }

    @Override
    public void committed(boolean durable) {
        writes.forEach(write -> StoreWriter.notify(write, durable));
    }
}
