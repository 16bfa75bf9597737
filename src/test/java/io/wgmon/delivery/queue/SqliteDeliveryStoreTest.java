package io.wgmon.delivery.queue;

import io.wgmon.delivery.StoreInspector;
import io.wgmon.delivery.format.Delivery;
import io.wgmon.delivery.format.Payload;
import io.wgmon.store.StoreDatabase;
import io.wgmon.store.StoreException;
import io.wgmon.store.StoreTransaction;
import io.wgmon.store.StoreWrite;
import io.wgmon.tracking.PeerKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One receiver's deliveries in a real SQLite store: order, done marks, the lock, the bound, durability. */
class SqliteDeliveryStoreTest {
    private static final long LARGE = 1 << 20;

    @TempDir
    Path dir;

    private final List<StoreDatabase> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(StoreDatabase::close);
    }

    /** Admits as the dispatcher does: the row joins a transaction, submitted once the scan's events are in. */
    private static DeliveryStore.Admission admit(SqliteDeliveryStore store, StoreDatabase database, Delivery delivery) {
        StoreTransaction transaction = new StoreTransaction();
        DeliveryStore.Admission admission = store.admit(delivery, transaction);
        if (!transaction.isEmpty()) {
            database.submit(transaction);
        }
        return admission;
    }

    @Test
    void undeliveredRowsComeBackInOrderAndSequenceNumbersGoOn() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            SqliteDeliveryStore store = store(database, LARGE);
            assertEquals(List.of(), store.recover());
            for (String text : List.of("a", "b", "c", "d")) {
                admit(store, database, delivery(text));
            }
            store.done(1);
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            SqliteDeliveryStore store = store(database, LARGE);
            assertEquals(List.of("0:a", "2:c", "3:d"), texts(store.recover()));
            assertEquals(4, admit(store, database, delivery("e")).seq());
            store.done(0);
            store.done(3);
            store.done(99);
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertEquals(List.of("2:c", "4:e"), texts(store(database, LARGE).recover()));
        }
    }

    /** A delivery dropped unsent before its scan's transaction reached the store leaves no row behind. */
    @Test
    void aDeliveryDoneBeforeItsTransactionIsSubmittedLeavesNoRow() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            SqliteDeliveryStore store = store(database, LARGE);
            StoreTransaction transaction = new StoreTransaction();
            long seq = store.admit(delivery("expired at once"), transaction).seq();
            store.done(seq);
            database.submit(transaction);
            admit(store, database, delivery("next"));
        }
        assertEquals(List.of("id-next"), StoreInspector.ids(dir, "r"));
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefusedInOneLine() {
        try (StoreDatabase ignored = StoreDatabase.open(dir)) {
            StoreException error = assertThrows(StoreException.class, () -> StoreDatabase.open(dir));
            assertEquals("the store directory " + dir + " is in use by another wgmon", error.getMessage());
        }
        StoreDatabase.open(dir).close();
    }

    @Test
    void aNewStoreDirectoryIsPrivate() throws IOException {
        Path nested = dir.resolve("spool").resolve("store");
        StoreDatabase.open(nested).close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
        assertTrue(Files.exists(nested.resolve(StoreDatabase.FILE)));
    }

    @Test
    void theSizeBoundDropsTheOldestAndReportsThem() {
        long maxBytes = 4096;
        List<Long> evicted = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            SqliteDeliveryStore store = store(database, maxBytes);
            for (int i = 0; i < 100; i++) {
                DeliveryStore.Admission admission = admit(store, database, delivery("x".repeat(80)));
                evicted.addAll(admission.evicted());
                kept.add(admission.seq());
                kept.removeAll(admission.evicted());
                assertTrue(store.bytes() <= maxBytes, "counted: " + store.bytes());
            }
        }
        assertFalse(evicted.isEmpty());
        assertEquals(evicted.stream().sorted().toList(), evicted, "oldest first");
        assertEquals(0L, evicted.get(0));
        assertEquals(evicted.get(evicted.size() - 1) + 1, kept.get(0), "exactly the oldest are gone");
        assertEquals(kept, StoreInspector.undelivered(dir, "r").stream().map(DeliveryStore.Stored::seq).toList());
        assertTrue(StoreInspector.bytes(dir, "r") <= maxBytes);
    }

    @Test
    void aDeliveryLargerThanTheBoundIsRefused() {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            SqliteDeliveryStore store = store(database, 1000);
            assertTrue(admit(store, database, delivery("x".repeat(400))).isAdmitted());
            DeliveryStore.Admission refused = admit(store, database, delivery("x".repeat(1000)));
            assertFalse(refused.isAdmitted());
            assertTrue(refused.refusal().contains("does not fit wgmon.webhook.spool-max-size"), refused.refusal());
        }
    }

    @Test
    void whenStoredRunsOnlyOnceTheRowIsCommittedAndWritesAreGrouped() throws Exception {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            SqliteDeliveryStore store = store(database, LARGE);
            CountDownLatch writerHeld = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            database.submit(new StoreWrite() {
                @Override
                public void apply(Connection connection) {
                    writerHeld.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void committed(boolean durable) {
                }
            });
            assertTrue(writerHeld.await(10, TimeUnit.SECONDS));
            long commitsBefore = database.commits();
            List<String> seenCommitted = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch stored = new CountDownLatch(20);
            for (int i = 0; i < 20; i++) {
                long seq = admit(store, database, delivery("event " + i)).seq();
                store.whenStored(seq, () -> {
                    seenCommitted.add(String.valueOf(StoreInspector.ids(dir, "r").contains("id-event " + seq)));
                    stored.countDown();
                });
            }
            assertEquals(20, stored.getCount(), "nothing is stored while the writer is busy");
            release.countDown();
            assertTrue(stored.await(10, TimeUnit.SECONDS));
            assertFalse(seenCommitted.contains("false"), "every row was committed before it was reported stored");
            assertTrue(database.commits() - commitsBefore <= 2, "twenty rows in one group commit, at most two: "
                    + (database.commits() - commitsBefore));
        }
    }

    /**
     * A crash mid-write leaves a torn tail in the WAL; SQLite drops the torn transaction and keeps every one
     * committed before it. The store is copied while open (as after SIGKILL, nothing checkpointed).
     */
    @Test
    void aTornWalLosesOnlyTheTornTransaction() throws Exception {
        Path crashed = dir.resolve("crashed");
        Files.createDirectory(crashed);
        try (StoreDatabase database = StoreDatabase.open(dir.resolve("live"))) {
            SqliteDeliveryStore store = store(database, LARGE);
            for (String text : List.of("first", "second", "third, torn by a crash")) {
                CountDownLatch stored = new CountDownLatch(1);
                store.whenStored(admit(store, database, delivery(text)).seq(), stored::countDown);
                assertTrue(stored.await(10, TimeUnit.SECONDS), "one transaction per row");
            }
            for (String file : List.of(StoreDatabase.FILE, StoreDatabase.FILE + "-wal")) {
                Files.copy(dir.resolve("live").resolve(file), crashed.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        try (FileChannel wal = FileChannel.open(crashed.resolve(StoreDatabase.FILE + "-wal"), StandardOpenOption.WRITE)) {
            wal.truncate(wal.size() - 100);
        }
        try (StoreDatabase database = StoreDatabase.open(crashed)) {
            assertEquals(List.of("0:first", "1:second"), texts(store(database, LARGE).recover()));
        }
    }

    @Test
    void recoveredBodiesAreByteForByteWhatWasAdmitted() {
        byte[] body = new byte[3000];
        new Random(1).nextBytes(body);
        Delivery delivery = new Delivery(new PeerKey("wg0", "k"), "peer.connected", "id", Instant.ofEpochMilli(5),
                new Payload(body, "application/octet-stream"), "sig");
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            admit(store(database, LARGE), database, delivery);
        }
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            Delivery back = store(database, LARGE).recover().get(0).delivery();
            assertArrayEquals(body, back.payload().body());
            assertEquals(delivery.peer(), back.peer());
            assertEquals(delivery.time(), back.time());
            assertEquals(null, back.signature(), "the store keeps no signature");
        }
    }

    private static SqliteDeliveryStore store(StoreDatabase database, long maxBytes) {
        return SqliteDeliveryStore.open(database, "r", maxBytes, "test receiver");
    }

    private static Delivery delivery(String text) {
        return new Delivery(new PeerKey("wg0", "key"), "peer.connected", "id-" + text, Instant.ofEpochMilli(1),
                new Payload(text.getBytes(), "text/plain"), null);
    }

    private static List<String> texts(List<DeliveryStore.Stored> stored) {
        return stored.stream().map(s -> s.seq() + ":" + new String(s.delivery().payload().body())).toList();
    }
}
