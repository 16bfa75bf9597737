package io.wgmon.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The session row a page's query is on, column by column as SQLite holds it (text as its UTF-8 bytes), for an
 * answer written straight from the rows: a page is up to a thousand rows, and a {@link SessionRow} with its
 * strings, instants and endpoint records a row was most of what a page allocated. Valid only until the sink it
 * was handed to returns; {@link #row()} makes the row of {@link SessionTable#page} from it.
 */
public final class SessionColumns {
    private final ResultSet result;

    SessionColumns(ResultSet result) {
        this.result = result;
    }

    public byte[] id() throws SQLException {
        return result.getBytes(2);
    }

    public byte[] interfaceName() throws SQLException {
        return result.getBytes(3);
    }

    public byte[] publicKey() throws SQLException {
        return result.getBytes(4);
    }

    public byte[] name() throws SQLException {
        return result.getBytes(5);
    }

    public long startMillis() throws SQLException {
        return result.getLong(6);
    }

    /** Whether the session has ended (its end is not null). */
    public boolean ended() throws SQLException {
        result.getLong(7);
        return !result.wasNull();
    }

    public long endMillis() throws SQLException {
        return result.getLong(7);
    }

    public byte[] endReason() throws SQLException {
        return result.getBytes(8);
    }

    public long rxBytes() throws SQLException {
        return result.getLong(9);
    }

    public long txBytes() throws SQLException {
        return result.getLong(10);
    }

    public byte[] endpoint() throws SQLException {
        return result.getBytes(11);
    }

    /** "millis endpoint" pairs joined by ';', as {@link SessionTable} writes them. */
    public byte[] endpoints() throws SQLException {
        return result.getBytes(12);
    }

    public SessionCursor position() throws SQLException {
        return new SessionCursor(result.getLong(6), result.getLong(1));
    }

    public SessionRow row() throws SQLException {
        return SessionTable.row(result);
    }
}
