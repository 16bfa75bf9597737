package io.wgmon.delivery;

import io.wgmon.delivery.format.Delivery;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

/** Writes a receiver spool in the format of wgmon before the store, for the migration tests. */
final class LegacySpoolWriter {
    private LegacySpoolWriter() {
    }

    /** One segment {@code 0.log} holding the deliveries as seqs 0.., and {@code 0.ack} marking {@code done}. */
    static Path write(Path dir, List<Delivery> deliveries, List<Long> done) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(String.format("%020d.log", 0));
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (int seq = 0; seq < deliveries.size(); seq++) {
            byte[] data = encode(deliveries.get(seq));
            records.write(frame(ByteBuffer.allocate(Long.BYTES + data.length).putLong(seq).put(data).array()));
        }
        Files.write(log, records.toByteArray());
        ByteArrayOutputStream acks = new ByteArrayOutputStream();
        for (long seq : done) {
            acks.write(frame(ByteBuffer.allocate(Long.BYTES).putLong(seq).array()));
        }
        if (!done.isEmpty()) {
            Files.write(dir.resolve(String.format("%020d.ack", 0)), acks.toByteArray());
        }
        Files.write(dir.resolve("lock"), new byte[0]);
        return log;
    }

    static byte[] frame(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt((int) crc.getValue())
                .put(payload).array();
    }

    /** The version-1 delivery record of the old spool. */
    static byte[] encode(Delivery delivery) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF(delivery.peer().interfaceName());
            out.writeUTF(delivery.peer().publicKey());
            out.writeUTF(delivery.eventType());
            out.writeUTF(delivery.id());
            out.writeLong(delivery.time().toEpochMilli());
            out.writeUTF(delivery.payload().contentType());
            out.writeInt(delivery.payload().body().length);
            out.write(delivery.payload().body());
        }
        return bytes.toByteArray();
    }
}
