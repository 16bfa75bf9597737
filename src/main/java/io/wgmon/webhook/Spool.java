package io.wgmon.webhook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An append-only, crash-safe record log in one directory: records get increasing sequence numbers, are
 * marked done one by one in any order, and those not done when the process died come back from
 * {@link #open} in sequence order.
 * <p>
 * Files: segments {@code <first seq>.log} (records {@code u64 seq + data}, see {@link SpoolFrames} for the
 * framing) each with {@code <first seq>.ack} (done records, {@code u64 seq}), and a {@code lock} file held
 * while open. Only the newest segment is appended to; it is rotated at {@code segmentBytes}. A segment
 * whose records are all done is deleted at once (compaction), so the spool holds little more than the
 * records still undelivered.
 * <p>
 * Bound: data plus acks never exceed {@code maxBytes}; to make room the oldest segment is dropped whole
 * and {@link #append} reports its undone records as evicted.
 * <p>
 * Durability: {@link #append} and {@link #markDone} write at once (the bytes survive a crash of the
 * process); {@link #sync} fsyncs what was written since the last sync through {@link Fsync} (group commit);
 * {@link #syncThrough} syncs only when the given record is not yet covered. A new segment file is followed by
 * an fsync of the directory. Recovery cuts a torn or garbage tail off each file and skips records whose CRC
 * does not match, with a WARN line each.
 */
final class Spool implements AutoCloseable {
    private static final int ACK_FRAME = SpoolFrames.frameSize(Long.BYTES);

    /** A record not yet done. */
    record Entry(long seq, byte[] data) {
    }

    /** @param evicted undone records dropped, oldest first, to keep the bound */
    record Appended(long seq, List<Long> evicted) {
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final Fsync fsync;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final TreeMap<Long, SpoolSegment> segments = new TreeMap<>();
    private List<Entry> recovered;
    private final Object syncLock = new Object();
    private SpoolSegment active;
    private long nextSeq;
    /** Bytes on disk plus one ack frame reserved per record not yet done: the figure kept under the bound. */
    private long committed;
    private volatile long syncedSeq;
    private boolean closed;

    private Spool(Path dir, long maxBytes, long segmentBytes, Fsync fsync, FileChannel lockChannel, FileLock lock)
            throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.fsync = fsync;
        this.lockChannel = lockChannel;
        this.lock = lock;
        SpoolRecovery.Result found = SpoolRecovery.recover(dir);
        for (SpoolSegment segment : found.segments()) {
            segments.put(segment.firstSeq(), segment);
            committed += segment.bytes() + (long) segment.liveSeqs().size() * ACK_FRAME;
        }
        this.recovered = found.undone();
        this.nextSeq = found.nextSeq();
        this.syncedSeq = nextSeq - 1;
    }

    /** Segments of an eighth of the bound: dropping the oldest one frees room without losing much. */
    static Spool open(Path dir, long maxBytes, Fsync fsync) throws IOException {
        return open(dir, maxBytes, Math.max(maxBytes / 8, 1024), fsync);
    }

    /** @throws IOException also when another process (or spool) holds the directory */
    static Spool open(Path dir, long maxBytes, long segmentBytes, Fsync fsync) throws IOException {
        if (maxBytes <= ACK_FRAME || segmentBytes < 1) {
            throw new IllegalArgumentException("spool bound of " + maxBytes + " bytes, segments of " + segmentBytes);
        }
        createPrivateDirectory(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("spool directory " + dir + " is in use by another wgmon");
        }
        try {
            return new Spool(dir, maxBytes, segmentBytes, fsync, lockChannel, lock);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    /**
     * The records not done when the spool was last closed or its process died, in sequence order; handed
     * over once, later calls get an empty list.
     */
    synchronized List<Entry> takeRecovered() {
        List<Entry> entries = recovered;
        recovered = List.of();
        return entries;
    }

    Path dir() {
        return dir;
    }

    /** Whether a record with this much data can be spooled at all. */
    boolean fits(int dataLength) {
        return Long.BYTES + (long) dataLength <= SpoolFrames.MAX_PAYLOAD && recordCost(dataLength) <= maxBytes;
    }

    synchronized Appended append(byte[] data) throws IOException {
        ensureOpen();
        long cost = recordCost(data.length);
        if (!fits(data.length)) {
            throw new IllegalArgumentException("a record of " + data.length + " bytes does not fit a spool of "
                    + maxBytes + " bytes");
        }
        List<Long> evicted = new ArrayList<>();
        while (committed + cost > maxBytes) {
            SpoolSegment oldest = segments.firstEntry().getValue();
            evicted.addAll(oldest.liveSeqs());
            remove(oldest);
        }
        if (active == null || active.logBytes() >= segmentBytes) {
            rotate();
        }
        long seq = nextSeq;
        ByteBuffer payload = ByteBuffer.allocate(Long.BYTES + data.length).putLong(seq).put(data).flip();
        ByteBuffer frame = SpoolFrames.frame(payload.array());
        int size = frame.remaining();
        active.append(seq, frame);
        nextSeq++;
        committed += size + ACK_FRAME;
        return new Appended(seq, evicted);
    }

    /** Records that the entry is done (delivered, refused or dropped); unknown or evicted seqs are ignored. */
    synchronized void markDone(long seq) throws IOException {
        if (closed) {
            return;
        }
        Map.Entry<Long, SpoolSegment> holder = segments.floorEntry(seq);
        if (holder == null) {
            return;
        }
        SpoolSegment segment = holder.getValue();
        ByteBuffer frame = SpoolFrames.frame(ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
        if (!segment.markDone(seq, frame)) {
            return;
        }
        if (!segment.hasLive() && segment != active) {
            remove(segment);
        }
    }

    /** Makes sure the record {@code seq} is on disk, with one fsync for everything written before it. */
    void syncThrough(long seq) throws IOException {
        if (seq > syncedSeq) {
            sync();
        }
    }

    /** Fsyncs every file written since the last sync; appends go on meanwhile. */
    void sync() throws IOException {
        synchronized (syncLock) {
            List<SpoolSegment.DirtyFile> dirty = new ArrayList<>();
            long covered;
            synchronized (this) {
                if (closed) {
                    return;
                }
                segments.values().forEach(segment -> segment.takeDirty(dirty));
                covered = nextSeq - 1;
            }
            for (SpoolSegment.DirtyFile file : dirty) {
                try {
                    fsync.force(file.channel(), file.path());
                } catch (java.nio.channels.ClosedChannelException deletedMeanwhile) {
                    // the segment was deleted (all done) or the spool closed: nothing left to make durable
                }
            }
            syncedSeq = Math.max(syncedSeq, covered);
        }
    }

    /** Bytes of segment files on disk. */
    synchronized long diskBytes() {
        return segments.values().stream().mapToLong(SpoolSegment::bytes).sum();
    }

    synchronized int segmentCount() {
        return segments.size();
    }

    @Override
    public void close() throws IOException {
        sync();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                for (SpoolSegment segment : segments.values()) {
                    segment.close();
                }
            } finally {
                lock.release();
                lockChannel.close();
            }
        }
    }

    /** Events name peers and their addresses: only wgmon's user may read them (where the file system allows). */
    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectory(dir);
        }
    }

    private static long recordCost(int dataLength) {
        return SpoolFrames.frameSize(Long.BYTES + dataLength) + (long) ACK_FRAME;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("spool " + dir + " is closed");
        }
    }

    private void rotate() throws IOException {
        if (active != null) {
            active.seal(fsync);
            if (!active.hasLive()) {
                remove(active);
            }
        }
        active = SpoolSegment.create(dir, nextSeq);
        segments.put(active.firstSeq(), active);
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            fsync.force(directory, dir);
        }
    }

    private void remove(SpoolSegment segment) throws IOException {
        segments.remove(segment.firstSeq());
        committed -= segment.bytes() + (long) segment.liveSeqs().size() * ACK_FRAME;
        if (segment == active) {
            active = null;
        }
        segment.delete();
    }
}
