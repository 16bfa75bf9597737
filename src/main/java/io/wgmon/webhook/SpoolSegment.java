package io.wgmon.webhook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * One spool segment: {@code <first seq>.log} holds delivery records, {@code <first seq>.ack} the sequence
 * numbers of those that are done. Both files are only appended to. Acks live next to the records they
 * refer to, so a segment whose records are all done can be deleted without losing an ack that an older
 * segment still needs. Not thread-safe: {@link Spool} guards it.
 */
final class SpoolSegment {
    private final long firstSeq;
    private final Path log;
    private final Path ack;
    private final NavigableSet<Long> live = new TreeSet<>();
    private FileChannel logChannel;
    private FileChannel ackChannel;
    private long logBytes;
    private long ackBytes;
    private boolean logDirty;
    private boolean ackDirty;

    private SpoolSegment(long firstSeq, Path dir, long logBytes, long ackBytes, Collection<Long> live) {
        this.firstSeq = firstSeq;
        this.log = dir.resolve(name(firstSeq) + ".log");
        this.ack = dir.resolve(name(firstSeq) + ".ack");
        this.logBytes = logBytes;
        this.ackBytes = ackBytes;
        this.live.addAll(live);
    }

    /** A new, empty segment whose log is open for appending. */
    static SpoolSegment create(Path dir, long firstSeq) throws IOException {
        SpoolSegment segment = new SpoolSegment(firstSeq, dir, 0, 0, List.of());
        segment.logChannel = FileChannel.open(segment.log, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return segment;
    }

    /** A segment found on disk; its log is not appended to again. */
    static SpoolSegment recovered(Path dir, long firstSeq, long logBytes, long ackBytes, Collection<Long> live) {
        return new SpoolSegment(firstSeq, dir, logBytes, ackBytes, live);
    }

    static String name(long firstSeq) {
        return String.format("%020d", firstSeq);
    }

    long firstSeq() {
        return firstSeq;
    }

    Path log() {
        return log;
    }

    Path ack() {
        return ack;
    }

    long bytes() {
        return logBytes + ackBytes;
    }

    long logBytes() {
        return logBytes;
    }

    boolean hasLive() {
        return !live.isEmpty();
    }

    List<Long> liveSeqs() {
        return new ArrayList<>(live);
    }

    void append(long seq, ByteBuffer frame) throws IOException {
        if (logChannel == null) {
            throw new IllegalStateException("segment " + log + " is not the active segment");
        }
        int size = frame.remaining();
        writeFully(logChannel, frame, logBytes);
        logBytes += size;
        logDirty = true;
        live.add(seq);
    }

    /** @return false when the seq is not (or no longer) a live record of this segment */
    boolean markDone(long seq, ByteBuffer frame) throws IOException {
        if (!live.remove(seq)) {
            return false;
        }
        if (ackChannel == null) {
            ackChannel = FileChannel.open(ack, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        int size = frame.remaining();
        try {
            writeFully(ackChannel, frame, ackBytes);
        } catch (IOException e) {
            live.add(seq);
            throw e;
        }
        ackBytes += size;
        ackDirty = true;
        return true;
    }

    /** Collects the channels written since the last call, for an fsync outside the spool's lock. */
    void takeDirty(List<DirtyFile> into) {
        if (logDirty) {
            into.add(new DirtyFile(logChannel, log));
            logDirty = false;
        }
        if (ackDirty) {
            into.add(new DirtyFile(ackChannel, ack));
            ackDirty = false;
        }
    }

    /** Ends appending to the log (at rotation), making what was written durable first; acks may still come. */
    void seal(Fsync fsync) throws IOException {
        if (logChannel != null) {
            if (logDirty) {
                fsync.force(logChannel, log);
                logDirty = false;
            }
            logChannel.close();
            logChannel = null;
        }
    }

    void close() throws IOException {
        if (logChannel != null) {
            logChannel.close();
            logChannel = null;
            logDirty = false;
        }
        if (ackChannel != null) {
            ackChannel.close();
            ackChannel = null;
            ackDirty = false;
        }
    }

    /** The log goes first: a crash in between leaves an orphan ack file, which recovery removes. */
    void delete() throws IOException {
        close();
        Files.deleteIfExists(log);
        Files.deleteIfExists(ack);
    }

    /** On a failed write (disk full) the partial frame is cut off again, so later frames stay readable. */
    private static void writeFully(FileChannel channel, ByteBuffer buffer, long sizeBefore) throws IOException {
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            try {
                channel.truncate(sizeBefore);
            } catch (IOException truncateFailed) {
                e.addSuppressed(truncateFailed);
            }
            throw e;
        }
    }

    record DirtyFile(FileChannel channel, Path path) {
    }
}
