package io.wgmon.store;

import org.jboss.logging.Logger;

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
 */
final class StoreWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StoreWriter.class);

    private final Connection connection;
    private final BlockingQueue<StoreWrite> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private volatile boolean closing;

    StoreWriter(Connection connection) {
        this.connection = connection;
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

            @Override
            public void apply(Connection connection) throws SQLException {
                value = query.run(connection);
            }

            @Override
            public void committed(boolean durable) {
                if (durable) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(new SQLException("the store could not run the query"));
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
        if (transaction(group)) {
            group.forEach(write -> notify(write, true));
            return;
        }
        for (StoreWrite write : group) {
            notify(write, group.size() > 1 && transaction(List.of(write)));
        }
    }

    private boolean transaction(List<StoreWrite> writes) {
        try {
            connection.setAutoCommit(false);
            try {
                for (StoreWrite write : writes) {
                    write.apply(connection);
                }
                connection.commit();
                commits.incrementAndGet();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                LOG.errorf("store: a transaction of %d writes failed and was rolled back: %s", writes.size(),
                        e.getMessage());
                return false;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.errorf("store: cannot run a transaction: %s", e.getMessage());
            return false;
        }
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
