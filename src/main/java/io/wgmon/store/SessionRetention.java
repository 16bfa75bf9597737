package io.wgmon.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.subscription.Cancellable;
import io.wgmon.timing.Timers;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps session history within {@code wgmon.history.max-age} and {@code max-rows} (docs/architecture.md#sessions):
 * deletes ended sessions in batches on the store thread, one batch per write, so a scan's commit queued
 * behind it waits for one batch at most; a batch is sized to take about {@link #BATCH_TIME} (at most
 * {@value #MAX_BATCH} rows), and a full batch queues the next {@link #BATCH_GAP} later. Asked for by
 * new sessions past the row limit, and by one one-shot timer at the moment the oldest ended session
 * passes the age limit; with no ended session there is no timer.
 */
public final class SessionRetention {
    private static final Logger LOG = Logger.getLogger(SessionRetention.class);
    static final int MAX_BATCH = 500;
    static final Duration BATCH_TIME = Duration.ofMillis(4);
    /**
     * Between a full batch and the next: a batch queued at once joins the group commit of the scan's write
     * queued meanwhile, which then waits for two batches.
     */
    static final Duration BATCH_GAP = Duration.ofMillis(4);

    private final StoreDatabase database;
    private final Duration maxAge;
    private final long maxRows;
    private final Timers timers;
    private final Counter pruned;
    private final Timer batchTime;
    private final AtomicLong rows = new AtomicLong();
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final PruneBatchSize batchSize = new PruneBatchSize(50, MAX_BATCH, BATCH_TIME);
    private Cancellable timer;

    public SessionRetention(StoreDatabase database, Duration maxAge, long maxRows, Timers timers,
                            MeterRegistry registry) {
        this.database = database;
        this.maxAge = maxAge;
        this.maxRows = maxRows;
        this.timers = timers;
        this.pruned = Counter.builder("wgmon.history.pruned")
                .description("Session history rows deleted by wgmon.history.max-age and max-rows").register(registry);
        this.batchTime = Timer.builder("wgmon.history.prune.batch")
                .description("Session history pruning batches, each the time a scan's commit may wait behind it")
                .register(registry);
        Gauge.builder("wgmon.history.sessions", rows, AtomicLong::get)
                .description("Session history rows in the store").register(registry);
    }

    /** Counts the rows once (blocking, at start-up), then prunes what is due. */
    public void start() {
        rows.set(database.call(SessionTable::count));
        prune();
    }

    /** {@code count} sessions were opened (their rows go with the scan's commit). */
    public void opened(int count) {
        if (rows.addAndGet(count) > maxRows || failed.get()) {
            prune();
        }
    }

    public long rows() {
        return rows.get();
    }

    /** Queues one batch unless one is queued already; returns at once. */
    void prune() {
        if (queued.compareAndSet(false, true)) {
            database.submit(new Batch());
        }
    }

    private synchronized void armTimer(Instant due) {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (due != null) {
            timer = timers.schedule(Duration.between(timers.now(), due), this::prune);
        }
    }

    /** One batch: past the age first, then the oldest beyond the row limit. */
    private final class Batch implements StoreWrite {
        private int size;
        private int deleted;
        private Instant nextDue;

        @Override
        public void apply(Connection connection) throws SQLException {
            long start = System.nanoTime();
            size = batchSize.next();
            deleted = SessionTable.pruneEndedBefore(connection, timers.now().minus(maxAge), size);
            long over = rows.get() - deleted - maxRows;
            if (deleted < size && over > 0) {
                deleted += SessionTable.pruneOldest(connection, (int) Math.min(size - deleted, over));
            }
            long took = System.nanoTime() - start;
            batchSize.took(deleted, took);
            batchTime.record(took, TimeUnit.NANOSECONDS);
            nextDue = oldestEnd(connection);
        }

        @Override
        public void committed(boolean durable) {
            queued.set(false);
            if (!durable && database.isClosed()) {
                return; // a batch queued as wgmon stops: the next start prunes
            }
            if (!durable) {
                if (!failed.getAndSet(true)) {
                    LOG.error("session history: cannot delete rows past wgmon.history.max-age or max-rows; tried "
                            + "again when the next session begins");
                }
                return;
            }
            failed.set(false);
            rows.addAndGet(-deleted);
            pruned.increment(deleted);
            if (deleted == size) {
                armTimer(timers.now().plus(BATCH_GAP));
            } else {
                armTimer(nextDue == null ? null : nextDue.plus(maxAge));
            }
        }
    }

    private static Instant oldestEnd(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT min(end_time) FROM session WHERE end_time IS NOT NULL");
             ResultSet result = statement.executeQuery()) {
            long millis = result.getLong(1);
            return result.wasNull() ? null : Instant.ofEpochMilli(millis);
        }
    }
}
