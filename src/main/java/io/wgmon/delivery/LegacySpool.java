package io.wgmon.delivery;

import io.wgmon.delivery.format.Delivery;
import io.wgmon.delivery.format.Payload;
import io.wgmon.store.DeliveryTable;
import io.wgmon.store.StoreDatabase;
import io.wgmon.tracking.PeerKey;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Reads the spool of wgmon before the store (a directory per receiver under spool-dir, segments
 * {@code <seq>.log} of records and {@code <seq>.ack} of done marks) once, moves its undelivered events into
 * the store and removes it (docs/architecture.md §8). Frames are {@code u32 length, u32 CRC32, payload};
 * a log payload is {@code u64 seq} and a version-1 delivery, an ack payload a {@code u64 seq}. A torn tail
 * or a record failing its CRC loses only that record, with a WARN line.
 */
final class LegacySpool {
    private static final Logger LOG = Logger.getLogger(LegacySpool.class);
    private static final int HEADER = 8;
    private static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    private LegacySpool() {
    }

    /** Migrates every old receiver spool found under {@code root}; one that cannot be read is left and logged. */
    static void migrate(Path root, StoreDatabase database) {
        List<Path> dirs;
        try (Stream<Path> children = Files.list(root)) {
            dirs = children.filter(Files::isDirectory).filter(LegacySpool::holdsSegments).sorted().toList();
        } catch (IOException e) {
            LOG.errorf("cannot list %s for an old webhook spool: %s", root, e);
            return;
        }
        for (Path dir : dirs) {
            String receiver = dir.getFileName().toString();
            TreeMap<Long, Delivery> undelivered;
            try {
                undelivered = read(dir);
            } catch (IOException | RuntimeException e) {
                LOG.errorf("cannot read the old webhook spool %s (%s): left in place, its events are not sent", dir,
                        e);
                continue;
            }
            database.call(connection -> {
                DeliveryTable.register(connection, receiver);
                for (var entry : undelivered.entrySet()) {
                    DeliveryTable.insert(connection, receiver, entry.getKey(), entry.getValue());
                }
                return null;
            });
            try {
                deleteTree(dir);
            } catch (IOException e) {
                LOG.errorf("moved the old webhook spool %s into the store but cannot remove it (%s): remove it by hand",
                        dir, e);
                continue;
            }
            LOG.infof("old webhook spool %s: %d undelivered events moved into %s", dir, undelivered.size(),
                    database.dir().resolve(StoreDatabase.FILE));
        }
    }

    /** The undelivered deliveries of one old receiver spool, by sequence number, unsigned. */
    static TreeMap<Long, Delivery> read(Path dir) throws IOException {
        List<Segment> segments = new ArrayList<>();
        for (Path file : segmentFiles(dir)) {
            segments.add(new Segment(file.toString(), file.getFileName().toString().endsWith(".log"),
                    Files.readAllBytes(file)));
        }
        return undelivered(dir.toString(), segments);
    }

    /** One segment file's contents: delivery records ({@code .log}) or done marks ({@code .ack}). */
    record Segment(String name, boolean log, byte[] bytes) {
    }

    /** What {@link #read} makes of the segments' bytes, in order; the part of it that parses them. */
    static TreeMap<Long, Delivery> undelivered(String spool, List<Segment> segments) {
        TreeMap<Long, byte[]> records = new TreeMap<>();
        Set<Long> done = new HashSet<>();
        for (Segment segment : segments) {
            for (byte[] payload : frames(segment)) {
                if (payload.length < Long.BYTES) {
                    LOG.warnf("spool file %s: a record too short to hold a sequence number; skipped", segment.name());
                    continue;
                }
                ByteBuffer in = ByteBuffer.wrap(payload);
                long seq = in.getLong();
                if (segment.log()) {
                    byte[] data = new byte[in.remaining()];
                    in.get(data);
                    records.put(seq, data);
                } else {
                    done.add(seq);
                }
            }
        }
        records.keySet().removeAll(done);
        TreeMap<Long, Delivery> deliveries = new TreeMap<>();
        records.forEach((seq, data) -> {
            try {
                deliveries.put(seq, decode(data));
            } catch (IllegalArgumentException e) {
                LOG.warnf("spool %s: record %d is not a delivery (%s); skipped", spool, seq, e.getMessage());
            }
        });
        return deliveries;
    }

    /** A version-1 delivery record: interface, key, type, id (u16-length UTF), i64 time ms, content type, i32 body. */
    static Delivery decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != 1) {
                throw new IllegalArgumentException("unknown spool record version " + version);
            }
            PeerKey peer = new PeerKey(in.readUTF(), in.readUTF());
            String eventType = in.readUTF();
            String id = in.readUTF();
            Instant time = Instant.ofEpochMilli(in.readLong());
            String contentType = in.readUTF();
            int length = in.readInt();
            if (length < 0 || length != in.available()) {
                throw new IllegalArgumentException("body length " + length + " but " + in.available() + " bytes left");
            }
            return new Delivery(peer, eventType, id, time, new Payload(in.readNBytes(length), contentType), null);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated spool record: " + e, e);
        }
    }

    /** The good frames of one file; stops at a torn or implausible frame, skips one failing its CRC. */
    private static List<byte[]> frames(Segment segment) {
        String file = segment.name();
        ByteBuffer in = ByteBuffer.wrap(segment.bytes());
        List<byte[]> frames = new ArrayList<>();
        int corrupt = 0;
        while (in.remaining() >= HEADER) {
            int length = in.getInt();
            int crc = in.getInt();
            if (length <= 0 || length > MAX_PAYLOAD || length > in.remaining()) {
                in.position(in.position() - HEADER);
                break;
            }
            byte[] payload = new byte[length];
            in.get(payload);
            CRC32 check = new CRC32();
            check.update(payload);
            if ((int) check.getValue() == crc) {
                frames.add(payload);
            } else {
                corrupt++;
            }
        }
        if (corrupt > 0) {
            LOG.warnf("spool file %s: %d records failed their CRC check; skipped", file, corrupt);
        }
        if (in.hasRemaining()) {
            LOG.warnf("spool file %s: the last %d bytes are not a complete record, as after a crash mid-write; "
                    + "skipped", file, in.remaining());
        }
        return frames;
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().matches("\\d{20}\\.(log|ack)")).sorted()
                    .toList();
        }
    }

    private static boolean holdsSegments(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".log"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
