package io.wgmon.store;

import java.sql.Connection;
import java.sql.SQLException;

/** One change to the database, applied on the store's writer thread inside its group transaction. */
public interface StoreWrite {
    void apply(Connection connection) throws SQLException;

    /**
     * Runs on the writer thread once the transaction holding the write committed ({@code durable}) or
     * failed; must not block.
     */
    void committed(boolean durable);
}
