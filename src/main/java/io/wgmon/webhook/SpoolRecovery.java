package io.wgmon.webhook;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a spool directory left by a previous run, whether it was closed or killed: every segment's records
 * minus its done marks. Damage is reported with a WARN line and skipped, never fatal: a torn or garbage
 * tail is cut off (so appends after it stay readable), a record failing its CRC is skipped. Segments with
 * nothing left to send and ack files without their log are deleted.
 */
final class SpoolRecovery {
    private static final Logger LOG = Logger.getLogger(Spool.class);
    private static final Pattern SEGMENT = Pattern.compile("(\\d{20})\\.(log|ack)");

    /**
     * @param segments the segments still holding undone records, oldest first
     * @param undone   those records in sequence order
     * @param nextSeq  the sequence number for the next append
     */
    record Result(List<SpoolSegment> segments, List<Spool.Entry> undone, long nextSeq) {
    }

    private SpoolRecovery() {
    }

    static Result recover(Path dir) throws IOException {
        TreeMap<Long, Path> logs = new TreeMap<>();
        Set<Long> acks = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher name = SEGMENT.matcher(file.getFileName().toString());
                if (name.matches()) {
                    long first = Long.parseLong(name.group(1));
                    if (name.group(2).equals("log")) {
                        logs.put(first, file);
                    } else {
                        acks.add(first);
                    }
                }
            }
        }
        for (long orphan : acks) {
            if (!logs.containsKey(orphan)) {
                Files.deleteIfExists(dir.resolve(SpoolSegment.name(orphan) + ".ack"));
            }
        }
        List<Spool.Entry> undone = new ArrayList<>();
        List<SpoolSegment> kept = new ArrayList<>();
        long maxSeq = logs.isEmpty() ? -1 : logs.lastKey();
        for (Map.Entry<Long, Path> log : logs.entrySet()) {
            long first = log.getKey();
            Path ackFile = dir.resolve(SpoolSegment.name(first) + ".ack");
            TreeMap<Long, byte[]> records = new TreeMap<>();
            long logBytes = readRecords(log.getValue(), records);
            Set<Long> done = new HashSet<>();
            long ackBytes = Files.exists(ackFile) ? readAcks(ackFile, done) : 0;
            if (!records.isEmpty()) {
                maxSeq = Math.max(maxSeq, records.lastKey());
            }
            records.keySet().removeAll(done);
            SpoolSegment segment = SpoolSegment.recovered(dir, first, logBytes, ackBytes, records.keySet());
            if (records.isEmpty()) {
                segment.delete();
                continue;
            }
            kept.add(segment);
            records.forEach((seq, data) -> undone.add(new Spool.Entry(seq, data)));
        }
        return new Result(kept, List.copyOf(undone), maxSeq + 1);
    }

    /** @return the log's length after cutting off damage */
    private static long readRecords(Path log, Map<Long, byte[]> into) throws IOException {
        SpoolFrames.Scan scan = readFile(log);
        int malformed = 0;
        for (byte[] payload : scan.frames()) {
            if (payload.length < Long.BYTES) {
                malformed++;
                continue;
            }
            ByteBuffer in = ByteBuffer.wrap(payload);
            long seq = in.getLong();
            byte[] data = new byte[in.remaining()];
            in.get(data);
            into.put(seq, data);
        }
        if (malformed > 0) {
            LOG.warnf("spool file %s: %d records too short to hold a sequence number; skipped", log, malformed);
        }
        return scan.validLength();
    }

    private static long readAcks(Path ack, Set<Long> into) throws IOException {
        SpoolFrames.Scan scan = readFile(ack);
        for (byte[] payload : scan.frames()) {
            if (payload.length == Long.BYTES) {
                into.add(ByteBuffer.wrap(payload).getLong());
            }
        }
        return scan.validLength();
    }

    /** Reads a whole spool file, reports damage and cuts a damaged tail off so appends after it stay readable. */
    private static SpoolFrames.Scan readFile(Path file) throws IOException {
        SpoolFrames.Scan scan = SpoolFrames.read(Files.readAllBytes(file));
        if (scan.corrupt() > 0) {
            LOG.warnf("spool file %s: %d records failed their CRC check; skipped", file, scan.corrupt());
        }
        if (scan.validLength() < scan.length()) {
            LOG.warnf("spool file %s: the last %d bytes (from offset %d) are not a complete record, as after a "
                            + "crash mid-write; skipped and cut off", file, scan.length() - scan.validLength(),
                    scan.validLength());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(scan.validLength());
            }
        }
        return scan;
    }
}
