package io.wgmon.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Reads session history on a connection of its own (docs/architecture.md#store), so an API query never
 * waits behind, or delays, the store thread's commits: WAL lets one reader see the last commit while the
 * writer goes on. Query-only; one query at a time.
 */
public final class SessionReader implements AutoCloseable {
    private final Connection connection;

    /** @param connection a query-only one ({@link StoreDatabase#connectQueryOnly}) */
    SessionReader(Connection connection) {
        this.connection = connection;
    }

    public synchronized List<SessionRow> page(SessionFilter filter) {
        try {
            return SessionTable.page(connection, filter);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** As {@link #page(SessionFilter)}, each row handed to {@code sink} while the reader is held. */
    public synchronized void page(SessionFilter filter, SessionColumnsSink sink) throws IOException {
        try {
            SessionTable.page(connection, filter, sink);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public synchronized boolean knows(String publicKey) {
        try {
            return SessionTable.knows(connection, publicKey);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public synchronized List<PeerSummaryRow> summary(Instant from, Instant to, String interfaceName, Instant now) {
        try {
            return SessionTable.summary(connection, from, to, interfaceName, now);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing to keep: the reader never writes
        }
    }

    private static StoreException failure(SQLException e) {
        return new StoreException("cannot read session history: " + e.getMessage(), e);
    }
}
