package io.wgmon.store;

import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's tables and their migrations (docs/architecture.md#store). The database's
 * {@code PRAGMA user_version} is the number of migrations applied; each runs in its own transaction, so
 * a crash mid-migration leaves the previous version. A database newer than this wgmon is refused.
 */
final class Schema {
    private static final Logger LOG = Logger.getLogger(Schema.class);
    /** Migration n (1-based) takes the schema from version n-1 to n. */
    private static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE receiver (
                name TEXT PRIMARY KEY
            ) WITHOUT ROWID;
            CREATE TABLE delivery (
                receiver     TEXT    NOT NULL,
                seq          INTEGER NOT NULL,
                interface    TEXT    NOT NULL,
                public_key   TEXT    NOT NULL,
                event_type   TEXT    NOT NULL,
                event_id     TEXT    NOT NULL,
                event_time   INTEGER NOT NULL,
                content_type TEXT    NOT NULL,
                body         BLOB    NOT NULL,
                PRIMARY KEY (receiver, seq)
            ) WITHOUT ROWID;
            CREATE TABLE peer_state (
                interface       TEXT    NOT NULL,
                public_key      TEXT    NOT NULL,
                last_handshake  INTEGER,
                connected       INTEGER NOT NULL,
                connected_since INTEGER,
                rx_bytes        INTEGER NOT NULL,
                tx_bytes        INTEGER NOT NULL,
                endpoint        TEXT,
                updated_at      INTEGER NOT NULL,
                PRIMARY KEY (interface, public_key)
            ) WITHOUT ROWID;
            """, """
            ALTER TABLE peer_state ADD COLUMN reported INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE peer_state ADD COLUMN last_activity INTEGER;
            """, """
            ALTER TABLE delivery ADD COLUMN started INTEGER NOT NULL DEFAULT 0;
            """, SessionTable.MIGRATION, """
            CREATE TABLE peer_history (
                interface      TEXT    NOT NULL,
                public_key     TEXT    NOT NULL,
                first_seen     INTEGER NOT NULL,
                last_handshake INTEGER,
                stale_reported INTEGER,
                PRIMARY KEY (interface, public_key)
            ) WITHOUT ROWID;
            """, ExpectationTables.MIGRATION, SessionTable.WINDOW_INDEX_MIGRATION,
            SessionTable.TOTALS_MIGRATION, SessionTable.PEER_WINDOW_MIGRATION,
            SessionDays.MIGRATION + SessionTable.PEER_PAGE_MIGRATION, SessionDays.DAY_ORDER_MIGRATION);

    static final int VERSION = MIGRATIONS.size();

    private Schema() {
    }

    /** @param file named in the one INFO line an upgrade of an existing store gives (it may rebuild indexes) */
    static void migrate(Connection connection, Path file) throws SQLException {
        int version = version(connection);
        if (version > VERSION) {
            throw new SQLException("the database has schema version " + version + ", newer than this wgmon's "
                    + VERSION);
        }
        if (version > 0 && version < VERSION) {
            LOG.infof("store %s: upgrading its schema from version %d to %d (this may rebuild an index over every "
                    + "session row: on a long history, a minute or more before wgmon is ready)", file, version, VERSION);
        }
        for (int next = version + 1; next <= VERSION; next++) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String ddl : statements(MIGRATIONS.get(next - 1))) {
                    statement.execute(ddl);
                }
                statement.execute("PRAGMA user_version = " + next);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** A migration's statements: split at each ';', but a trigger's BEGIN ... END is one statement. */
    static List<String> statements(String migration) {
        List<String> statements = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String piece : migration.split(";")) {
            pending.append(piece);
            String text = pending.toString();
            boolean inTrigger = text.contains(" BEGIN") && !text.strip().endsWith("END");
            if (inTrigger) {
                pending.append(';');
                continue;
            }
            if (!text.isBlank()) {
                statements.add(text);
            }
            pending.setLength(0);
        }
        return statements;
    }

    static int version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA user_version")) {
            return result.getInt(1);
        }
    }
}
