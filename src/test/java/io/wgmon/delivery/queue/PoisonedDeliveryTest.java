package io.wgmon.delivery.queue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.delivery.format.Delivery;
import io.wgmon.delivery.format.Payload;
import io.wgmon.store.DeliveryTable;
import io.wgmon.store.StoreDatabase;
import io.wgmon.store.StoreTransaction;
import io.wgmon.tracking.PeerKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An attempt is counted in the store before it goes on the wire and counted back when it ends; a delivery
 * whose attempts ended with the process goes last after a restart, and from the second time on is set aside:
 * kept, reported, never sent again. Each "process" here is a store opened and closed without ending the attempt.
 */
class PoisonedDeliveryTest {
    private static final Instant NOW = Instant.ofEpochMilli(1000);

    @TempDir
    Path dir;

    /** Admits as the dispatcher does: the row joins a transaction, submitted once the scan's events are in. */
    private static void admit(SqliteDeliveryStore store, StoreDatabase database, Delivery delivery) {
        StoreTransaction transaction = new StoreTransaction();
        store.admit(delivery, transaction);
        database.submit(transaction);
    }

    @Test
    void anAttemptThatEndedWithTheProcessGoesLastThenIsSetAside() throws Exception {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            SqliteDeliveryStore store = store(database);
            for (String text : List.of("a", "b", "c")) {
                admit(store, database, delivery(text));
            }
            started(store, List.of(0L)); // a is on the wire when the process ends
            started(store, List.of(1L));
            store.attemptEnded(List.of(1L)); // b failed and waits for a retry: not in flight
        }

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            SqliteDeliveryStore store = store(database);
            List<DeliveryStore.Stored> kept = Backlog.recover(store, NOW, Duration.ofDays(1), metrics(registry), "r",
                    d -> d);
            assertEquals(List.of("1:b:0", "2:c:0", "0:a:1"), texts(kept), "a goes behind the others");
            started(store, List.of(0L)); // and ends the process again
        }

        try (StoreDatabase database = StoreDatabase.open(dir)) {
            SqliteDeliveryStore store = store(database);
            ReceiverMetrics metrics = metrics(registry);
            List<DeliveryStore.Stored> kept = Backlog.recover(store, NOW, Duration.ofDays(1), metrics, "r", d -> d);
            assertEquals(List.of("1:b:0", "2:c:0"), texts(kept), "a is set aside");
            assertEquals(1, metrics.poisoned().count());
            assertEquals(1, metrics.failed().count());
        }

        try (StoreDatabase database = StoreDatabase.open(dir)) {
            assertEquals(List.of("0:a:2", "1:b:0", "2:c:0"), texts(store(database).recover()),
                    "a set-aside delivery is kept in the store");
        }
    }

    @Test
    void theCountIsCommittedBeforeTheAttemptMayStart() throws Exception {
        try (StoreDatabase database = StoreDatabase.open(dir)) {
            SqliteDeliveryStore store = store(database);
            admit(store, database, delivery("a"));
            CountDownLatch sending = new CountDownLatch(1);
            store.attemptStarting(List.of(0L), sending::countDown);
            assertTrue(sending.await(10, TimeUnit.SECONDS));
            int started = database.call(connection -> DeliveryTable.undelivered(connection, "r")).get(0).started();
            assertEquals(1, started, "committed when the send may start");
        }
    }

    private static void started(SqliteDeliveryStore store, List<Long> seqs) throws InterruptedException {
        CountDownLatch committed = new CountDownLatch(1);
        store.attemptStarting(seqs, committed::countDown);
        assertTrue(committed.await(10, TimeUnit.SECONDS));
    }

    private static ReceiverMetrics metrics(SimpleMeterRegistry registry) {
        ReceiverMetrics metrics = ReceiverMetrics.register(registry, "r", () -> 0, () -> false, () -> false);
        metrics.unregisterGauges(registry);
        return metrics;
    }

    private static SqliteDeliveryStore store(StoreDatabase database) {
        return SqliteDeliveryStore.open(database, "r", 1 << 20, "test receiver");
    }

    private static Delivery delivery(String text) {
        return new Delivery(new PeerKey("wg0", "key-" + text), "peer.connected", "id-" + text, Instant.ofEpochMilli(1),
                new Payload(text.getBytes(), "text/plain"), null);
    }

    private static List<String> texts(List<DeliveryStore.Stored> stored) {
        return stored.stream().map(s -> s.seq() + ":" + new String(s.delivery().payload().body()) + ":" + s.started())
                .toList();
    }
}
