package io.wgmon.delivery;

import io.wgmon.delivery.format.CloudEventsPayloadFormat;
import io.wgmon.delivery.format.Delivery;
import io.wgmon.delivery.format.DeliveryRenderer;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.format.WebhookSigner;
import io.wgmon.delivery.format.WebhookSignerTest;
import io.wgmon.delivery.queue.DeliveryStore;
import io.wgmon.store.StoreDatabase;
import io.wgmon.tracking.PeerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The spool of wgmon before the store: read once, torn or not, and moved into the store. */
class LegacySpoolTest {
    @TempDir
    Path root;

    private final DeliveryRenderer renderer = new DeliveryRenderer(new JsonPayloadFormat(),
            Optional.empty(), Optional.empty());

    @Test
    void undoneRecordsAreMovedInOrderAndTheOldSpoolRemoved() throws IOException {
        List<Delivery> deliveries = deliveries(4);
        LegacySpoolWriter.write(root.resolve("receiver-a"), deliveries, List.of(1L));
        try (StoreDatabase database = StoreDatabase.open(root)) {
            LegacySpool.migrate(root, database);
        }
        assertFalse(Files.exists(root.resolve("receiver-a")));
        assertEquals(List.of(0L, 2L, 3L), seqs("receiver-a"));
        assertEquals(List.of(deliveries.get(0).id(), deliveries.get(2).id(), deliveries.get(3).id()),
                StoreInspector.ids(root, "receiver-a"));
    }

    @Test
    void aTruncatedLastRecordIsSkippedWithALogLine() throws IOException {
        Path log = LegacySpoolWriter.write(root.resolve("receiver-a"), deliveries(3), List.of());
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 5);
        }
        try (LogCapture warnings = LogCapture.warningsOf(LegacySpool.class)) {
            assertEquals(List.of(0L, 1L), List.copyOf(LegacySpool.read(root.resolve("receiver-a")).keySet()));
            assertEquals(1, warnings.warningsContaining("not a complete record").size(), warnings.warnings().toString());
        }
    }

    @Test
    void garbageAfterTheLastRecordIsSkippedInLogAndAckFiles() throws IOException {
        Path dir = root.resolve("receiver-a");
        Path log = LegacySpoolWriter.write(dir, deliveries(4), List.of(0L));
        byte[] garbage = new byte[37];
        new Random(5).nextBytes(garbage);
        Files.write(log, garbage, StandardOpenOption.APPEND);
        Files.write(dir.resolve(String.format("%020d.ack", 0)), garbage, StandardOpenOption.APPEND);
        try (LogCapture warnings = LogCapture.warningsOf(LegacySpool.class)) {
            assertEquals(List.of(1L, 2L, 3L), List.copyOf(LegacySpool.read(dir).keySet()));
            assertEquals(2, warnings.warningsContaining("not a complete record").size(), warnings.warnings().toString());
        }
    }

    @Test
    void aRecordFailingItsCrcIsSkippedAndTheRestIsRead() throws IOException {
        Path log = LegacySpoolWriter.write(root.resolve("receiver-a"), deliveries(3), List.of());
        byte[] content = Files.readAllBytes(log);
        int firstFrame = 8 + java.nio.ByteBuffer.wrap(content).getInt();
        content[firstFrame + 8 + 8 + 3] ^= 0x55; // inside the second record's payload
        Files.write(log, content);
        try (LogCapture warnings = LogCapture.warningsOf(LegacySpool.class)) {
            assertEquals(List.of(0L, 2L), List.copyOf(LegacySpool.read(root.resolve("receiver-a")).keySet()));
            assertEquals(1, warnings.warningsContaining("failed their CRC check").size(), warnings.warnings().toString());
        }
    }

    @Test
    void migratingTheSameSpoolTwiceAddsNothing() throws IOException {
        List<Delivery> deliveries = deliveries(2);
        try (StoreDatabase database = StoreDatabase.open(root)) {
            LegacySpoolWriter.write(root.resolve("receiver-a"), deliveries, List.of());
            LegacySpool.migrate(root, database);
            LegacySpoolWriter.write(root.resolve("receiver-a"), deliveries, List.of()); // as after a crash before removal
            LegacySpool.migrate(root, database);
        }
        assertEquals(List.of(0L, 1L), seqs("receiver-a"));
    }

    @Test
    void decodeKeepsEverythingButTheSignature() throws IOException {
        PeerEvent event = TestEvents.connected();
        Delivery delivery = new DeliveryRenderer(new CloudEventsPayloadFormat(),
                Optional.of(new WebhookSigner("k")), Optional.empty())
                .render(event);

        Delivery decoded = LegacySpool.decode(LegacySpoolWriter.encode(delivery));

        assertEquals(event.key(), decoded.peer());
        assertEquals("peer.connected", decoded.eventType());
        assertEquals(event.id().toString(), decoded.id());
        assertEquals(TestEvents.TIME, decoded.time());
        assertEquals(CloudEventsPayloadFormat.CONTENT_TYPE, decoded.payload().contentType());
        assertArrayEquals(delivery.payload().body(), decoded.payload().body());
        assertNull(decoded.signature(), "the spool keeps no signature");
    }

    @Test
    void aRestoredDeliveryIsSignedWithTheCurrentSecret() throws Exception {
        Delivery old = new DeliveryRenderer(new JsonPayloadFormat(),
                Optional.of(new WebhookSigner("old")), Optional.empty())
                .render(TestEvents.connected());
        Delivery restored = new DeliveryRenderer(new JsonPayloadFormat(),
                Optional.of(new WebhookSigner("new")), Optional.empty())
                .sign(LegacySpool.decode(LegacySpoolWriter.encode(old)));
        assertEquals("sha256=" + WebhookSignerTest.hmac("new", old.payload().body()), restored.signature());
    }

    @Test
    void damagedDataIsRefused() throws IOException {
        byte[] data = LegacySpoolWriter.encode(renderer.render(TestEvents.connected()));
        assertThrows(IllegalArgumentException.class, () -> LegacySpool.decode(Arrays.copyOf(data, data.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> LegacySpool.decode(Arrays.copyOf(data, 20)));
        byte[] longer = Arrays.copyOf(data, data.length + 1);
        assertThrows(IllegalArgumentException.class, () -> LegacySpool.decode(longer));
        byte[] otherVersion = data.clone();
        otherVersion[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> LegacySpool.decode(otherVersion));
    }

    private List<Delivery> deliveries(int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> renderer.render(TestEvents.numbered(TestEvents.key(i % 2), i))).toList();
    }

    private List<Long> seqs(String receiver) {
        return StoreInspector.undelivered(root, receiver).stream().map(DeliveryStore.Stored::seq).toList();
    }
}
