package io.wgmon.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.store.SessionChanges;
import io.wgmon.store.SessionRetention;
import io.wgmon.store.SessionTable;
import io.wgmon.store.StoreDatabase;
import io.wgmon.store.StoreWrite;
import io.wgmon.timing.VertxTimers;
import io.vertx.core.Vertx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The session history at scale on the store itself (bench/history.sh fills it; never part of verify):
 * its size, what writing session rows adds to the scan's commit, and how long a connect's commit waits
 * while a day's rows are pruned by the real {@link SessionRetention}. The API's figures are
 * {@link HistoryHttpBench}'s.
 *
 *   java -cp <test classpath> io.wgmon.bench.HistoryBench DIR NOW_MILLIS
 */
public final class HistoryBench {
    private static final int SAMPLES = 400;

    private HistoryBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Instant now = Instant.ofEpochMilli(Long.parseLong(args[1]));
        Vertx vertx = Vertx.vertx();
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            long rows = database.call(SessionTable::count);
            System.out.printf("store: %d rows, %d MiB with its WAL (%d bytes a row)%n", rows, size(dir) >> 20,
                    size(dir) / Math.max(1, rows));
            sessionWrites(database, now);
            long oldestEnd = database.call(connection -> {
                try (var statement = connection.createStatement();
                     var result = statement.executeQuery("SELECT min(end_time) FROM session")) {
                    return result.getLong(1);
                }
            });
            pruning(database, vertx, Instant.ofEpochMilli(oldestEnd).plus(Duration.ofDays(1)), now);
        } finally {
            vertx.close(); // after the store: a batch still queued then fails, and says so once
        }
    }

    /** The store thread's time for a session's rows in the scan's commit: opening one, and ending one. */
    private static void sessionWrites(StoreDatabase database, Instant now) {
        long[] open = new long[SAMPLES];
        long[] close = new long[SAMPLES];
        long[] commitWith = new long[SAMPLES];
        long[] commitWithout = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            UUID id = UUID.randomUUID();
            String key = String.format("bench%038d=", i);
            SessionChanges opened = new SessionChanges(List.of(new SessionChanges.Opened(id, "wg0", key, "bench-" + i,
                    now, "203.0.113.1:51820")), List.of(), List.of());
            SessionChanges closed = new SessionChanges(List.of(), List.of(),
                    List.of(new SessionChanges.Closed(id, now.plusSeconds(60), "idle", 1_000_000, 100_000)));
            long[] took = new long[1];
            long start = System.nanoTime();
            database.call(connection -> timed(took, () -> SessionTable.apply(connection, opened), connection));
            commitWith[i] = System.nanoTime() - start;
            open[i] = took[0];
            database.call(connection -> timed(took, () -> SessionTable.apply(connection, closed), connection));
            close[i] = took[0];
            start = System.nanoTime();
            database.call(connection -> timed(took, () -> {
                try (var statement = connection.createStatement()) {
                    statement.execute("INSERT OR REPLACE INTO receiver (name) VALUES ('history-bench')");
                }
            }, connection));
            commitWithout[i] = System.nanoTime() - start;
        }
        System.out.printf("a session's row in the scan's commit (%d sessions, store thread): opening p50 %.3f ms, "
                + "p99 %.3f ms; ending p50 %.3f ms, p99 %.3f ms%n", SAMPLES, p(open, 50), p(open, 99), p(close, 50),
                p(close, 99));
        System.out.printf("a whole commit (submit to durable) with a session's start: p50 %.2f ms, p99 %.2f ms; with one small row "
                + "instead: p50 %.2f ms, p99 %.2f ms%n", p(commitWith, 50), p(commitWith, 99), p(commitWithout, 50),
                p(commitWithout, 99));
        database.call(connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("DELETE FROM session WHERE public_key >= 'bench' AND public_key < 'bencj'");
                statement.execute("DELETE FROM receiver WHERE name = 'history-bench'");
            }
            return null;
        });
    }

    private interface SqlStep {
        void run() throws Exception;
    }

    private static Object timed(long[] took, SqlStep step, Connection connection) throws java.sql.SQLException {
        long start = System.nanoTime();
        try {
            step.run();
        } catch (java.sql.SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        took[0] = System.nanoTime() - start;
        return null;
    }

    /**
     * The real retention prunes the oldest day left (its max-age reaches back to a day after the oldest end) while a
     * connect's write is submitted every 20 ms; each one's wait, submit to durable, against the same at rest.
     */
    private static void pruning(StoreDatabase database, Vertx vertx, Instant endOfFirstDay, Instant now)
            throws Exception {
        long[] atRest = connects(database, 100);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // real timers (the gap between batches runs on them), on a clock set back to the data's now
        VertxTimers timers = new VertxTimers(vertx, Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), now)));
        Duration maxAge = Duration.between(endOfFirstDay, now);
        SessionRetention retention = new SessionRetention(database, maxAge, Long.MAX_VALUE, timers, registry);
        long start = System.nanoTime();
        retention.start();
        List<Long> waits = new ArrayList<>();
        long deadline = start + TimeUnit.MINUTES.toNanos(3);
        double longestBatch = 0;
        while (!dayPruned(database, timers.now().minus(maxAge)) && System.nanoTime() < deadline) {
            for (long wait : connects(database, 50)) {
                waits.add(wait);
            }
            longestBatch = Math.max(longestBatch, registry.get("wgmon.history.prune.batch").timer()
                    .max(TimeUnit.MILLISECONDS));
        }
        var batches = registry.get("wgmon.history.prune.batch").timer();
        double pruned = registry.get("wgmon.history.pruned").counter().count();
        long[] during = waits.stream().mapToLong(Long::longValue).toArray();
        System.out.printf("pruning the oldest day: %.0f rows in %d s%s, %d batches: mean %.1f ms, longest %.1f ms%n",
                pruned, (System.nanoTime() - start) / 1_000_000_000L,
                dayPruned(database, timers.now().minus(maxAge)) ? "" : " (stopped: not done)", batches.count(),
                batches.mean(TimeUnit.MILLISECONDS), Math.max(longestBatch, batches.max(TimeUnit.MILLISECONDS)));
        System.out.printf("a connect's commit wait (submit to durable), %d at rest: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                atRest.length, p(atRest, 50), p(atRest, 99), p(atRest, 100));
        System.out.printf("the same, %d during pruning: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", during.length,
                p(during, 50), p(during, 99), p(during, 100));
    }

    private static boolean dayPruned(StoreDatabase database, Instant cutoff) {
        return database.call(connection -> {
            try (var statement = connection.prepareStatement(
                    "SELECT 1 FROM session WHERE end_time IS NOT NULL AND end_time < ? LIMIT 1")) {
                statement.setLong(1, cutoff.toEpochMilli());
                try (var result = statement.executeQuery()) {
                    return !result.next();
                }
            }
        });
    }

    /** {@code count} connects' session rows, one every 20 ms, each its own write; their waits in ns. */
    private static long[] connects(StoreDatabase database, int count) throws Exception {
        long[] waits = new long[count];
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            SessionChanges opened = new SessionChanges(List.of(new SessionChanges.Opened(id, "wg0",
                    String.format("connect%036d=", i), null, Instant.now(), "203.0.113.2:51820")), List.of(), List.of());
            CompletableFuture<Long> durable = new CompletableFuture<>();
            long submitted = System.nanoTime();
            database.submit(new StoreWrite() {
                @Override
                public void apply(Connection connection) throws java.sql.SQLException {
                    SessionTable.apply(connection, opened);
                }

                @Override
                public void committed(boolean ok) {
                    durable.complete(System.nanoTime() - submitted);
                }
            });
            waits[i] = durable.get(1, TimeUnit.MINUTES);
            Thread.sleep(20);
        }
        database.call(connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("DELETE FROM session WHERE public_key >= 'connect' AND public_key < 'connecu'");
            }
            return null;
        });
        return waits;
    }

    private static double p(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int at = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, at)] / 1e6;
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("wgmon.db")).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }
}
