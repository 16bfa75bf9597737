package io.wgmon.store;

import org.jboss.logging.Logger;
import org.sqlite.SQLiteConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that touches the database ({@code wgmon-store}, docs/architecture.md#threads, docs/architecture.md#store). Callers
 * hand it {@link StoreWrite}s and return at once; it commits everything queued since its last commit in one
 * transaction (group commit: one fsync of the WAL for many writes), then tells each write it is durable.
 * When a group fails, each of its writes is tried again alone, so one bad write does not fail the others.
 * A failure of the store itself ({@link StoreFault}: disk full, corrupt, ...) goes to {@link StoreHealth},
 * which reports it once.
 */
final class StoreWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StoreWriter.class);

    private final Connection connection;
    private final BlockingQueue<StoreWrite> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private final StoreHealth health;
    private final WalCheckpointer checkpoints;
    private volatile boolean closing;

    StoreWriter(Connection connection, StoreHealth health, WalCheckpointer checkpoints) {
        this.connection = connection;
        this.health = health;
        this.checkpoints = checkpoints;
        this.thread = new Thread(this::run, "wgmon-store");
        thread.setDaemon(true);
        thread.start();
    }

    void submit(StoreWrite write) {
        if (closing) {
            write.committed(false);
            return;
        }
        queue.add(write);
    }

    /** Runs {@code query} on the writer thread and returns its result (for start-up and tests). */
    <T> CompletableFuture<T> call(StoreQuery<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        submit(new StoreWrite() {
            private T value;
            private SQLException failure;

            @Override
            public void apply(Connection connection) throws SQLException {
                try {
                    value = query.run(connection);
                } catch (SQLException e) {
                    failure = e;
                    throw e;
                }
            }

            @Override
            public void committed(boolean durable) {
                if (durable) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure != null ? failure
                            : new SQLException("the store could not run the query"));
                }
            }
        });
        return result;
    }

    /** Transactions committed so far. */
    long commits() {
        return commits.get();
    }

    private void run() {
        List<StoreWrite> group = new ArrayList<>();
        while (true) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(group);
            boolean stop = group.remove(STOP);
            commit(group);
            group.clear();
            if (stop) {
                break;
            }
        }
        List<StoreWrite> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(write -> write.committed(false));
    }

    private void commit(List<StoreWrite> group) {
        if (group.isEmpty()) {
            return;
        }
        Exception failure = transaction(group);
        checkpoints.ask();
        if (failure == null) {
            group.forEach(write -> notify(write, true));
            return;
        }
        if (group.size() == 1) {
            failed(failure, 1);
            notify(group.get(0), false);
            return;
        }
        if (StoreFault.of(failure).isEmpty()) {
            failed(failure, group.size());
        }
        // each alone: a write that needs no new page, or a read, may commit even while the store fails
        for (StoreWrite write : group) {
            Exception alone = transaction(List.of(write));
            if (alone != null) {
                failed(alone, 1);
            }
            notify(write, alone == null);
        }
    }

    /** A failing store is {@link StoreHealth}'s to report, once; a failing write is logged each time. */
    private void failed(Exception failure, int writes) {
        StoreFault.of(failure).ifPresentOrElse(fault -> health.failed(fault, writes),
                () -> LOG.errorf("store: a transaction of %d writes failed and was rolled back: %s", writes,
                        failure.getMessage()));
    }

    /** @return null once the writes committed, else what failed them (after the rollback) */
    private Exception transaction(List<StoreWrite> writes) {
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            return e;
        }
        Exception failure = null;
        try {
            long changesBefore = changes();
            for (StoreWrite write : writes) {
                write.apply(connection);
            }
            connection.commit();
            commits.incrementAndGet();
            if (changes() > changesBefore) {
                health.committed(); // a read, or a write that changed nothing, proves nothing about space or pages
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
            // SQLite may have rolled back already (a full disk at commit): a failing rollback must not hide the cause
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // nothing left to roll back
            }
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                failure = failure == null ? e : failure;
            }
        }
        return failure;
    }

    private long changes() throws SQLException {
        return connection.unwrap(SQLiteConnection.class).getDatabase().total_changes();
    }

    static void notify(StoreWrite write, boolean durable) {
        try {
            write.committed(durable);
        } catch (RuntimeException e) {
            LOG.errorf(e, "store: a commit callback failed");
        }
    }

    /** Commits what is queued, then stops the thread; waits for it. */
    @Override
    public void close() {
        closing = true;
        queue.add(STOP);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final StoreWrite STOP = new StoreWrite() {
        @Override
        public void apply(Connection connection) {
        }

        @Override
        public void committed(boolean durable) {
        }
    };
}
