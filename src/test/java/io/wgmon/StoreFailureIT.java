package io.wgmon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.store.PeerStateRow;
import io.wgmon.store.PeerStateTable;
import io.wgmon.store.StoreDatabase;
import io.wgmon.store.StoreTransaction;
import io.wgmon.store.StoreWrite;
import io.wgmon.testbed.LiveBed;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22's bad input, live: the packaged wgmon with its store on a 2 MiB tmpfs of its own. It starts on a
 * store whose middle pages were overwritten while it was stopped (kept aside, a fresh store begins, one
 * WARN); the tmpfs is then filled while it runs: the connect and disconnect webhooks still arrive, one ERROR
 * names the file and "disk full", readiness and {@code wgmon_store_failing} say so; space is freed and the
 * next commit uses the store again (one INFO, the session written after it is in the API). Then a start on
 * the full disk: wgmon runs without the store (one ERROR) and delivers. One bed, two starts.
 */
class StoreFailureIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration IDLE = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PAGE = 4096;

    private static LiveBed bed;
    private static Path mount;
    private static Path store;

    @BeforeAll
    static void start() throws Exception {
        bed = LiveBed.start(3900, "storefail", IDLE);
        mount = Files.createTempDirectory("wgmon-storefail-fs");
        Shell.run(List.of("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", mount.toString()));
        store = mount.resolve("store");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (bed != null) {
                bed.close();
            }
        } finally {
            if (mount != null) {
                Shell.quietly(List.of("umount", mount.toString()));
                Files.deleteIfExists(mount);
            }
        }
    }

    @Test
    void aCorruptStoreIsKeptAsideAndAFullDiskIsReportedOnceWhileDeliveryGoesOn() throws Exception {
        byte[] damaged = damagedStore();
        Testbed testbed = bed.testbed();
        Testbed.Client alice = testbed.addClient();
        Testbed.Client bob = testbed.addClient();
        Testbed.Client carol = testbed.addClient();
        Map<String, String> env = bed.env(IDLE, Duration.ofSeconds(1));
        env.put("WGMON_STORE_DIR", store.toString());
        Path file = store.resolve(StoreDatabase.FILE);

        try (MonitorProcess monitor = bed.startMonitor(env)) {
            monitor.awaitReady(Duration.ofSeconds(60));
            Path kept = keptAside();
            assertArrayEquals(damaged, Files.readAllBytes(kept), "the damaged file is kept as it was");
            assertEquals(1, lines(monitor, "WARN  [i.w.s.StoreDatabase] store " + file + " is damaged, corrupt page ("),
                    monitor.log());
            assertTrue(monitor.log().contains("kept as " + kept + "; a fresh store begins"), monitor.log());

            testbed.ping(alice);
            await("peer.connected", alice, monitor);
            awaitLog(monitor, "peer.first-seen " + testbed.serverInterface() + ":" + alice.publicKey());
            Thread.sleep(500); // its rows' commit
            assertEquals(0.0, monitor.metric("wgmon_store_failing"));

            // Commits never checkpoint (WalCheckpointer does, on its own thread, and the WAL is emptied at its
            // next reset): a commit right after a checkpoint writes at the start of the WAL and may not need new
            // space. A reader holding a snapshot (a backup, a sqlite3 shell) keeps the WAL from being reset, so
            // every commit below needs new space and fails on the full disk.
            double lost;
            try (Connection pinned = pinnedReader(file)) {
                fill();
                testbed.ping(bob);
                await("peer.connected", bob, monitor);
                Delivery aliceGone = await("peer.disconnected", alice, monitor);
                assertEquals("idle", aliceGone.json().get("reason").asText());
                String failing = "ERROR [i.w.s.StoreHealth] store " + file + " cannot commit: disk full (";
                awaitLog(monitor, failing);
                assertEquals(1, lines(monitor, failing), "one line for the whole failure, however many scans:\n"
                        + monitor.log());
                assertEquals(1, lines(monitor, "ERROR"), "no other ERROR while the disk is full:\n" + monitor.log());
                assertEquals(1.0, monitor.metric("wgmon_store_failing"));
                lost = monitor.metric("wgmon_store_lost_writes_total");
                // at least the failed scan's; a later write may fit in WAL space a failed one allocated
                assertTrue(lost >= 1, "the scan of bob's connect or alice's disconnect at least: " + lost);
                MonitorProcess.Response ready = monitor.getManagement("/q/health/ready");
                assertEquals(200, ready.status(), "still ready: delivery goes on\n" + ready.body());
                String storeFailing = JSON.readTree(ready.body()).get("checks").get(0).get("data").get("storeFailing")
                        .asText();
                assertTrue(storeFailing.startsWith(file + ": disk full ("), storeFailing);
            }
            Files.delete(mount.resolve("filler"));
            testbed.ping(carol);
            Delivery carolUp = await("peer.connected", carol, monitor);
            awaitLog(monitor, "INFO  [i.w.s.StoreHealth] store " + file + " commits again after ");
            assertEquals(1, lines(monitor, "commits again"), monitor.log());
            assertTrue(monitor.log().contains("s of disk full: "), monitor.log());
            assertEquals(0.0, monitor.metric("wgmon_store_failing"));
            assertFalse(monitor.getManagement("/q/health/ready").body().contains("storeFailing"));
            await("peer.disconnected", bob, monitor);

            JsonNode sessions = JSON.readTree(monitor.get("/api/sessions").body()).get("sessions");
            String carolSession = carolUp.json().get("sessionId").asText();
            boolean found = false;
            for (JsonNode row : sessions) {
                found |= row.get("id").asText().equals(carolSession);
            }
            assertTrue(found, "the session begun after the space returned is stored: " + sessions);
            assertEquals(1, lines(monitor, "ERROR"), monitor.log());
            assertTrue(monitor.isAlive());
            monitor.log().lines().filter(line -> line.contains("[i.w.s.Store"))
                    .forEach(line -> System.out.println("StoreFailureIT log: " + line));
            System.out.println("StoreFailureIT: kept " + kept.getFileName() + "; disk full: " + (long) lost
                    + " writes lost, webhooks delivered, one ERROR; space back: committing again");
        }

        // a start on a full disk: SQLite cannot even make the -shm file, and refusing would be a crash loop
        Testbed.Client dave = testbed.addClient(); // alice's session from the first run is not new to a start
        fill();
        try (MonitorProcess second = bed.startMonitor(env)) {
            second.awaitReady(Duration.ofSeconds(60));
            String withoutStore = "ERROR [i.w.StoreWiring] store " + file + " cannot be opened: ";
            assertEquals(1, lines(second, withoutStore), second.log());
            assertTrue(second.log().contains("; running without a store until the next start"), second.log());
            testbed.ping(dave);
            await("peer.connected", dave, second);
            second.log().lines().filter(line -> line.contains(withoutStore))
                    .forEach(line -> System.out.println("StoreFailureIT log: " + line));
        } finally {
            Files.deleteIfExists(mount.resolve("filler"));
        }
    }

    /** A real wgmon store of some 40 pages, two in its middle then overwritten with 0xff while no wgmon runs. */
    private static byte[] damagedStore() throws IOException {
        try (StoreDatabase database = StoreDatabase.open(store)) {
            for (int scan = 0; scan < 10; scan++) {
                StoreTransaction transaction = new StoreTransaction();
                for (int peer = 0; peer < 50; peer++) {
                    PeerStateRow row = new PeerStateRow("old", "key-" + scan + "-" + peer, Optional.empty(), false,
                            Optional.empty(), 0, 0, Optional.of("x".repeat(300)), Instant.now(), false,
                            Optional.empty(), Optional.empty());
                    transaction.add(new StoreWrite() {
                        @Override
                        public void apply(Connection connection) throws SQLException {
                            PeerStateTable.upsert(connection, row);
                        }

                        @Override
                        public void committed(boolean durable) {
                        }
                    });
                }
                database.submit(transaction);
            }
            database.call(connection -> null);
        }
        Path file = store.resolve(StoreDatabase.FILE);
        long pages = Files.size(file) / PAGE;
        assertTrue(pages >= 20, pages + " pages");
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] junk = new byte[2 * PAGE];
            Arrays.fill(junk, (byte) 0xff);
            raw.seek(pages / 2 * PAGE);
            raw.write(junk);
        }
        return Files.readAllBytes(file);
    }

    /** Writes zeros until the tmpfs has no byte left. */
    /** A connection in a read transaction on the store: the WAL cannot be reset while it is open. */
    private static Connection pinnedReader(Path file) throws SQLException {
        Connection connection = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite:" + file);
        connection.setAutoCommit(false);
        try (var statement = connection.createStatement(); var result = statement.executeQuery(
                "SELECT count(*) FROM peer_state")) {
            assertTrue(result.next());
        }
        return connection;
    }

    private static void fill() {
        try {
            Shell.run(List.of("dd", "if=/dev/zero", "of=" + mount.resolve("filler"), "bs=4k"));
            throw new IllegalStateException("dd ended without filling " + mount);
        } catch (IllegalStateException full) {
            assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
        }
    }

    private static Path keptAside() throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            List<Path> kept = files.filter(f -> f.getFileName().toString().matches("wgmon\\.db\\.corrupt-\\d{8}T\\d{6}Z"))
                    .toList();
            assertEquals(1, kept.size(), "kept aside: " + kept);
            return kept.get(0);
        }
    }

    private static Delivery await(String event, Testbed.Client client, MonitorProcess monitor) throws Exception {
        Delivery delivery = bed.receiver().await(d -> d.is(event, client.publicKey()), WAIT);
        assertNotNull(delivery, "no " + event + " for client " + client.number() + ":\n" + monitor.log());
        return delivery;
    }

    private static void awaitLog(MonitorProcess monitor, String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!monitor.log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in the log:\n" + monitor.log());
            }
            Thread.sleep(100);
        }
    }

    private static long lines(MonitorProcess monitor, String text) throws IOException {
        return monitor.log().lines().filter(line -> line.contains(text)).count();
    }
}
