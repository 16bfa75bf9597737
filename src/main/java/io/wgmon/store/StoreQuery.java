package io.wgmon.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A read (or a read and write) run on the store's writer thread, returning a value. */
@FunctionalInterface
public interface StoreQuery<T> {
    T run(Connection connection) throws SQLException;
}
