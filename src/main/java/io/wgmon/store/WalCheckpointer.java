package io.wgmon.store;

import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;

/**
 * Copies the WAL into the database file on a thread and connection of its own ({@code wgmon-store-checkpoint},
 * docs/architecture.md#store), so no commit does it inline: SQLite's automatic checkpoint runs in whichever
 * commit takes the WAL past 1,000 pages, a connect's as often as a pruning batch's, and holds the store thread
 * for the copy and an fsync of the database file. Asked after each commit; a PASSIVE checkpoint waits for no
 * reader or writer; at most one a second while commits go on, none at rest.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WalCheckpointer.class);
    private static final long SPACING_MILLIS = 1000;

    private final Connection connection;
    private final Semaphore asked = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closing;

    WalCheckpointer(Connection connection) {
        this.connection = connection;
        this.thread = new Thread(this::run, "wgmon-store-checkpoint");
        thread.setDaemon(true);
        thread.start();
    }

    /** A commit added to the WAL: checkpoint soon (asks made meanwhile count as one). */
    void ask() {
        if (asked.availablePermits() == 0) {
            asked.release();
        }
    }

    private void run() {
        while (!closing) {
            try {
                asked.acquire();
                asked.drainPermits();
                if (closing) {
                    return;
                }
                checkpoint();
                Thread.sleep(SPACING_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void checkpoint() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            // a failing store shows in the commits (StoreHealth); the WAL is checkpointed at the next ask or close
            LOG.debugf("store: a WAL checkpoint failed: %s", e.getMessage());
        }
    }

    /** Stops the thread and closes its connection; a checkpoint under way finishes first. */
    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing to keep: the writer's connection checkpoints what is left when it closes
        }
    }
}
