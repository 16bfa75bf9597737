package io.wgmon.bench;

import io.wgmon.store.SessionCursor;
import io.wgmon.store.SessionFilter;
import io.wgmon.store.SessionRow;
import io.wgmon.store.SessionTable;
import io.wgmon.store.StoreDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The session history at scale (bench/history.sh; never part of verify): PEERS peers x DAYS days x
 * PER_DAY sessions a day written straight into a store, then the store's size, one peer's whole history
 * read back page by page, the all-peers 24-hour window page by page, and a day's rows pruned in the
 * retention's batches (the longest batch is what a scan's commit queued behind one waits).
 *
 *   java -cp <test classpath> io.wgmon.bench.HistoryBench DIR PEERS DAYS PER_DAY
 */
public final class HistoryBench {
    private HistoryBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int peers = Integer.parseInt(args[1]);
        int days = Integer.parseInt(args[2]);
        int perDay = Integer.parseInt(args[3]);
        Instant now = Instant.parse("2026-12-07T00:00:00Z");
        Instant first = now.minus(Duration.ofDays(days));
        String[] keys = new String[peers];
        Random random = new Random(22);
        for (int p = 0; p < peers; p++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            keys[p] = Base64.getEncoder().encodeToString(key);
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            long t0 = System.nanoTime();
            long slot = 86_400_000L / perDay;
            for (int d = 0; d < days; d++) {
                long dayStart = first.toEpochMilli() + d * 86_400_000L;
                database.call(connection -> {
                    try (PreparedStatement insert = connection.prepareStatement("""
                            INSERT INTO session (id, interface, public_key, name, start_time, end_time, end_reason,
                                                 rx_bytes, tx_bytes, endpoint, endpoints)
                            VALUES (?, 'wg0', ?, ?, ?, ?, 'idle', ?, ?, ?, ?)
                            """)) {
                        for (int s = 0; s < perDay; s++) {
                            for (int p = 0; p < peers; p++) {
                                long start = dayStart + s * slot + random.nextInt((int) (slot / 4));
                                long end = start + slot / 2;
                                String endpoint = "198.51." + (p >> 8 & 255) + "." + (p & 255) + ":" + (40000 + s);
                                insert.setString(1, UUID.randomUUID().toString());
                                insert.setString(2, keys[p]);
                                insert.setString(3, "peer-" + p);
                                insert.setLong(4, start);
                                insert.setLong(5, end);
                                insert.setLong(6, 1_000_000L + random.nextInt(1_000_000));
                                insert.setLong(7, 100_000L + random.nextInt(100_000));
                                insert.setString(8, endpoint);
                                insert.setString(9, start + " " + endpoint);
                                insert.addBatch();
                            }
                        }
                        insert.executeBatch();
                    }
                    return null;
                });
            }
            long rows = database.call(SessionTable::count);
            System.out.printf("rows %d written in %d s%n", rows, (System.nanoTime() - t0) / 1_000_000_000L);
            System.out.printf("store %d MiB with its WAL (%d bytes a row)%n", size(dir) >> 20, size(dir) / Math.max(1, rows));

            long[] peerTimes = new long[200];
            int peerRows = 0;
            for (int i = 0; i < peerTimes.length; i++) {
                String key = keys[random.nextInt(peers)];
                long start = System.nanoTime();
                peerRows = all(database, new SessionFilter(Optional.of(key), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), false, 1000, Optional.empty()));
                peerTimes[i] = System.nanoTime() - start;
            }
            Arrays.sort(peerTimes);
            System.out.printf("one peer's %d-day history (%d rows, pages of 1000): p50 %.1f ms, p99 %.1f ms%n", days,
                    peerRows, peerTimes[100] / 1e6, peerTimes[197] / 1e6);

            long[] dayTimes = new long[5];
            int dayRows = 0;
            for (int i = 0; i < dayTimes.length; i++) {
                long start = System.nanoTime();
                dayRows = all(database, new SessionFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of(now.minus(Duration.ofDays(1))), Optional.of(now), false, 1000, Optional.empty()));
                dayTimes[i] = System.nanoTime() - start;
            }
            Arrays.sort(dayTimes);
            System.out.printf("all peers, last 24 h (%d rows, pages of 1000): median %.0f ms, max %.0f ms%n", dayRows,
                    dayTimes[2] / 1e6, dayTimes[4] / 1e6);

            Instant cutoff = first.plus(Duration.ofDays(1));
            long pruneStart = System.nanoTime();
            long longest = 0;
            int pruned = 0;
            while (true) {
                long batchStart = System.nanoTime();
                int deleted = database.call(connection -> SessionTable.pruneEndedBefore(connection, cutoff, 500));
                longest = Math.max(longest, System.nanoTime() - batchStart);
                pruned += deleted;
                if (deleted < 500) {
                    break;
                }
            }
            System.out.printf("pruning a day (%d rows) in batches of 500: %d ms in all, longest batch %.1f ms%n",
                    pruned, (System.nanoTime() - pruneStart) / 1_000_000, longest / 1e6);
        }
    }

    private static int all(StoreDatabase database, SessionFilter first) {
        int count = 0;
        SessionFilter filter = first;
        while (true) {
            List<SessionRow> rows = database.sessions().page(filter);
            count += Math.min(rows.size(), filter.limit());
            if (rows.size() <= filter.limit()) {
                return count;
            }
            SessionCursor after = rows.get(filter.limit() - 1).position();
            filter = new SessionFilter(first.publicKey(), first.name(), first.interfaceName(), first.from(), first.to(),
                    first.openOnly(), first.limit(), Optional.of(after));
        }
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = new ArrayList<>(files.filter(f -> f.getFileName().toString().startsWith("wgmon.db")).toList());
            long total = 0;
            for (Path file : list) {
                total += Files.size(file);
            }
            return total;
        }
    }
}
