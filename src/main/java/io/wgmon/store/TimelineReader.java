package io.wgmon.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Reads the timeline of all peers (the status page's lanes) straight into the answer on a connection opened for
 * that one request: a client that reads its answer slowly holds only its own read, never the reader the other
 * history queries share, and the answer is never whole in memory. At most {@link #AT_ONCE} run at once.
 */
public final class TimelineReader {
    static final int AT_ONCE = 2;
    private static final long WAIT_SECONDS = 5;

    private final Path dir;
    private final Semaphore reads = new Semaphore(AT_ONCE);

    TimelineReader(Path dir) {
        this.dir = dir;
    }

    /**
     * Streams every peer's sessions overlapping [from, to) to {@code sink}; false, having read nothing, when
     * {@link #AT_ONCE} timelines are still being read after a wait.
     */
    public boolean read(Instant from, Instant to, String interfaceName, PeerSpansSink sink) throws IOException {
        try {
            if (!reads.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try (Connection connection = StoreDatabase.connectQueryOnly(dir)) {
            SessionTable.timeline(connection, from, to, interfaceName, sink);
            return true;
        } catch (SQLException e) {
            throw new StoreException("cannot read session history: " + e.getMessage(), e);
        } finally {
            reads.release();
        }
    }
}
