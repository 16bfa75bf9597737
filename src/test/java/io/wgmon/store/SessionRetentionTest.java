package io.wgmon.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.delivery.LogCapture;
import io.wgmon.timing.ManualTimers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pruning by age and by rows, in batches on the store thread, timed by one one-shot timer in logical time. */
class SessionRetentionTest {
    private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");
    private static final Duration MAX_AGE = Duration.ofDays(90);

    @TempDir
    Path dir;

    private final ManualTimers timers = new ManualTimers(NOW);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private int next;

    /** {@code count} ended sessions, each ended {@code endedAgo} ago (minus its index in ms, so oldest first). */
    private void ended(StoreDatabase database, int count, Duration endedAgo) {
        List<SessionChanges.Opened> opened = new ArrayList<>();
        List<SessionChanges.Closed> closed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = new UUID(1, ++next);
            Instant end = NOW.minus(endedAgo).plusMillis(next);
            opened.add(new SessionChanges.Opened(id, "wg0", "key", null, end.minusSeconds(60), null));
            closed.add(new SessionChanges.Closed(id, end, "idle", 1, 1));
        }
        database.call(connection -> {
            SessionTable.apply(connection, new SessionChanges(opened, List.of(), closed));
            return null;
        });
    }

    private static long rows(StoreDatabase database) {
        return database.call(SessionTable::count);
    }

    private double prunedTotal() {
        return registry.get("wgmon.history.pruned").counter().count();
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 500 && !done.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(done.getAsBoolean());
    }

    @Test
    void rowsPastTheAgeGoAtStartInBatchesAndTheNextAgeIsOneTimer() throws Exception {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            ended(database, SessionRetention.MAX_BATCH * 2 + 7, Duration.ofDays(100));
            ended(database, 3, Duration.ofDays(80));
            SessionRetention retention = new SessionRetention(database, MAX_AGE, 1_000_000, timers, registry);
            retention.start();
            await(() -> {
                timers.advance(SessionRetention.BATCH_GAP);
                return prunedTotal() == SessionRetention.MAX_BATCH * 2 + 7;
            });
            await(() -> timers.pending().size() == 1);
            assertEquals(3, rows(database));
            assertEquals(3, retention.rows());
            assertEquals(3.0, registry.get("wgmon.history.sessions").gauge().value());
            Duration gaps = Duration.between(NOW, timers.now());
            assertEquals(List.of(Duration.ofDays(10).plusMillis(SessionRetention.MAX_BATCH * 2 + 8).minus(gaps)),
                    timers.pending(),
                    "when the oldest left passes the age");

            timers.advance(Duration.ofDays(11));
            await(() -> prunedTotal() == SessionRetention.MAX_BATCH * 2 + 10);
            assertEquals(0, rows(database));
            await(() -> timers.pending().isEmpty());
            assertEquals(List.of(), timers.pending(), "no ended session, no timer");
        }
    }

    @Test
    void aFullBatchQueuesTheNextOnlyAfterTheGap() throws Exception {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            ended(database, 200, Duration.ofDays(100));
            SessionRetention retention = new SessionRetention(database, MAX_AGE, 1_000_000, timers, registry);
            retention.start();
            await(() -> prunedTotal() == 50 && timers.pending().size() == 1);
            assertEquals(List.of(SessionRetention.BATCH_GAP), timers.pending(), "the first batch, 50 rows, was full");
            Thread.sleep(200);
            assertEquals(50.0, prunedTotal(), "nothing more until the gap passed");
            await(() -> {
                timers.advance(SessionRetention.BATCH_GAP);
                return prunedTotal() == 200;
            });
        }
    }

    @Test
    void newSessionsPastTheRowLimitDeleteTheOldestEndedOnes() throws Exception {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            ended(database, 10, Duration.ofDays(2));
            SessionRetention retention = new SessionRetention(database, MAX_AGE, 10, timers, registry);
            retention.start();
            await(() -> timers.pending().size() == 1);
            assertEquals(0.0, prunedTotal());
            ended(database, 4, Duration.ofDays(1));
            retention.opened(4);
            await(() -> prunedTotal() == 4);
            assertEquals(10, rows(database));
            assertEquals(10, retention.rows());
            assertEquals(5L, (long) database.call(connection -> {
                try (var statement = connection.createStatement();
                     var result = statement.executeQuery("SELECT min(rowid) FROM session")) {
                    return result.getLong(1);
                }
            }), "the four oldest went");
        }
    }

    @Test
    void aBatchQueuedAsTheStoreClosesIsNoFailure() throws Exception {
        try (LogCapture log = LogCapture.warningsOf(SessionRetention.class)) {
            StoreDatabase database = StoreDatabase.open(dir);
            ended(database, 300, Duration.ofDays(100));
            SessionRetention retention = new SessionRetention(database, MAX_AGE, 1_000_000, timers, registry);
            retention.start();
            await(() -> prunedTotal() > 0 && timers.pending().size() == 1);
            database.close();
            timers.advance(SessionRetention.BATCH_GAP);
            Thread.sleep(200);
            assertEquals(List.of(), log.warnings(), "stopping is not a failure to prune");
        }
    }
}
