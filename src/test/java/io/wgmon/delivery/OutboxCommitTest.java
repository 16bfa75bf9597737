package io.wgmon.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.format.Payload;
import io.wgmon.delivery.http.DeliveryHeaders;
import io.wgmon.delivery.http.ReceiverAddress;
import io.wgmon.delivery.http.ReceiverReply;
import io.wgmon.delivery.http.WebhookSender;
import io.wgmon.delivery.queue.DeliveryPolicy;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.store.SessionChanges;
import io.wgmon.store.PeerStateRow;
import io.wgmon.store.PeerStateTable;
import io.wgmon.store.StoreDatabase;
import io.wgmon.timing.Backoff;
import io.wgmon.timing.ManualTimers;
import io.wgmon.tracking.PeerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The commit seam (docs/architecture.md#delivery): a scan's state changes and its events' deliveries reach a real
 * SQLite store together, or neither does. The store is made to fail between the two writes by a trigger
 * that refuses the delivery row after the {@code peer_state} row was written in the same transaction.
 */
class OutboxCommitTest {
    @TempDir
    Path dir;

    private final WebhookReceiver receiver = WebhookReceiver.named("hook", URI.create("http://127.0.0.1:9/hook"),
            Map.of(), new JsonPayloadFormat(), Optional.empty());

    /** Never answers: the deliveries stay undelivered, so their rows stay in the store to be looked at. */
    private final WebhookSender silent = new WebhookSender() {
        @Override
        public Uni<ReceiverReply> send(ReceiverAddress address, Payload payload, DeliveryHeaders headers) {
            return Uni.createFrom().nothing();
        }

        @Override
        public void close() {
        }
    };

    private static PeerStateChanges alice() {
        return new PeerStateChanges(List.of(new PeerStateRow("wg0", "alice", Optional.of(Instant.ofEpochSecond(1)),
                true, Optional.of(Instant.ofEpochSecond(1)), 10, 20, Optional.empty(), Instant.ofEpochSecond(2),
                true, Optional.of(Instant.ofEpochSecond(1)), Optional.empty())), List.of(), SessionChanges.NONE);
    }

    private WebhookDispatcher dispatcher(StoreDatabase store) {
        return dispatcher(List.of(receiver), store);
    }

    private WebhookDispatcher withoutReceivers(StoreDatabase store) {
        return dispatcher(List.of(), store);
    }

    private WebhookDispatcher dispatcher(List<WebhookReceiver> receivers, StoreDatabase store) {
        DeliveryPolicy policy = new DeliveryPolicy(10, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2),
                new Random()), 5, Duration.ofDays(1), 1 << 20, new ManualTimers());
        return new WebhookDispatcher(receivers, policy, Optional.of(store), () -> Runnable::run, silent,
                new SimpleMeterRegistry());
    }

    private static void refuseDeliveryRows(Path dir) throws SQLException {
        try (Connection connection = StoreDatabase.connect(dir); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TRIGGER refuse_delivery BEFORE INSERT ON delivery "
                    + "BEGIN SELECT RAISE(ABORT, 'the disk refuses the delivery row'); END");
        }
    }

    private static List<String> savedPeers(StoreDatabase store) {
        return store.call(PeerStateTable::all).stream().map(PeerStateRow::publicKey).toList();
    }

    @Test
    void whenTheDeliveryRowFailsTheStateChangeIsNotStoredEither() throws Exception {
        try (StoreDatabase store = StoreDatabase.open(dir); WebhookDispatcher dispatcher = dispatcher(store)) {
            refuseDeliveryRows(dir);
            PeerEvent event = TestEvents.connected();
            dispatcher.commit(List.of(event), alice());
            assertEquals(List.of(), savedPeers(store), "the state change went with the refused delivery row");
            assertEquals(List.of(), StoreInspector.ids(dir, receiver.spoolName()));
        }
    }

    @Test
    void whenBothWritesSucceedBothAreStored() {
        try (StoreDatabase store = StoreDatabase.open(dir); WebhookDispatcher dispatcher = dispatcher(store)) {
            PeerEvent event = TestEvents.connected();
            dispatcher.commit(List.of(event), alice());
            assertEquals(List.of("alice"), savedPeers(store));
            assertEquals(List.of(event.id().toString()), StoreInspector.ids(dir, receiver.spoolName()));
        }
    }

    @Test
    void withoutReceiversTheStateIsSavedAllTheSame() {
        try (StoreDatabase store = StoreDatabase.open(dir); WebhookDispatcher dispatcher = withoutReceivers(store)) {
            dispatcher.commit(List.of(TestEvents.connected()), alice());
            assertEquals(List.of("alice"), savedPeers(store));
        }
    }
}
