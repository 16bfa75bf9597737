package io.wgmon.delivery;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wgmon.delivery.format.Delivery;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Any bytes as an old spool (docs/architecture.md §8, "The old spool format"): a delivery record
 * framed with a good CRC, so the fuzzer reaches the record decoder, followed by arbitrary bytes in
 * the same segment, and an ack segment. {@link LegacySpool#undelivered} (what {@link LegacySpool#read}
 * makes of the files' bytes) gives the deliveries it could decode, the rest skipped with a WARN, and
 * {@link LegacySpool#decode} a delivery or its own {@link IllegalArgumentException}; anything else is
 * a finding. The input is laid out so the seeds are plain records: u16 record length, the record,
 * u8 ack length, the ack segment, the log segment's tail.
 */
class LegacySpoolFuzzIT {
    static {
        // almost every input is a torn or corrupt spool, each worth a WARN: thousands of lines a second
        java.util.logging.Logger.getLogger(LegacySpool.class.getName()).setLevel(java.util.logging.Level.SEVERE);
    }

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        byte[] record = take(in, in.remaining() >= 2 ? Short.toUnsignedInt(in.getShort()) : 0);
        byte[] ack = take(in, in.hasRemaining() ? Byte.toUnsignedInt(in.get()) : 0);
        byte[] tail = take(in, in.remaining());
        long seq = record.length;

        try {
            Delivery delivery = LegacySpool.decode(record);
            assertNotNull(delivery.peer());
            assertNotNull(delivery.payload().body());
        } catch (IllegalArgumentException rejected) {
            assertNotNull(rejected.getMessage());
        }

        byte[] framed = LegacySpoolWriter.frame(ByteBuffer.allocate(Long.BYTES + record.length)
                .putLong(seq).put(record).array());
        byte[] log = ByteBuffer.allocate(framed.length + tail.length).put(framed).put(tail).array();
        Map<Long, Delivery> deliveries = LegacySpool.undelivered("fuzz", List.of(
                new LegacySpool.Segment("00000000000000000000.log", true, log),
                new LegacySpool.Segment("00000000000000000000.ack", false, ack)));
        deliveries.values().forEach(delivery -> assertNotNull(delivery.id()));
    }

    private static byte[] take(ByteBuffer in, int length) {
        byte[] bytes = new byte[Math.min(length, in.remaining())];
        in.get(bytes);
        return bytes;
    }
}
