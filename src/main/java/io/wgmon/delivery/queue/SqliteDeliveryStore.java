package io.wgmon.delivery.queue;

import io.wgmon.delivery.format.Delivery;
import io.wgmon.store.DeliveryTable;
import io.wgmon.store.StoreDatabase;
import io.wgmon.store.StoreTransaction;
import io.wgmon.store.StoreWrite;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One receiver's deliveries in the {@link StoreDatabase} (docs/architecture.md#store). Admission and the size
 * bound are decided here in memory, at once and without I/O; the row (and the deletion of rows evicted to
 * keep the bound) joins the caller's {@link StoreTransaction}, committed on the store thread with the scan's
 * state changes. A delivery
 * is first sent only once its row is committed ({@link #whenStored}). When the disk fails, deliveries go
 * on in memory only: the store reports that once, each write here only at DEBUG.
 */
public final class SqliteDeliveryStore implements DeliveryStore {
    private static final Logger LOG = Logger.getLogger(SqliteDeliveryStore.class);
    /** Bytes counted per row beside its body and strings: keys, time, SQLite's record overhead. */
    private static final int ROW_OVERHEAD = 48;

    private final StoreDatabase database;
    private final String receiver;
    private final long maxBytes;
    private final String label;
    /** Undelivered rows, oldest first, with the bytes each counts against the bound. */
    private final LinkedHashMap<Long, Long> live = new LinkedHashMap<>();
    private final Map<Long, Runnable> awaitingCommit = new HashMap<>();
    /**
     * Done before their insert committed (dropped unsent): the insert, still in its scan's transaction, may
     * reach the store after the delete, so it skips the row.
     */
    private final Set<Long> doneBeforeInsert = new HashSet<>();
    private List<Stored> recovered;
    private long bytes;
    private long nextSeq;
    /** Inserts commit in sequence order (one writer, FIFO): every seq up to this one is durable. */
    private long committedThrough;
    private boolean closed;

    private SqliteDeliveryStore(StoreDatabase database, String receiver, long maxBytes, String label,
                                List<Stored> recovered) {
        this.database = database;
        this.receiver = receiver;
        this.maxBytes = maxBytes;
        this.label = label;
        this.recovered = recovered;
        long last = -1;
        for (Stored stored : recovered) {
            live.put(stored.seq(), cost(stored.delivery()));
            bytes += cost(stored.delivery());
            last = stored.seq();
        }
        this.nextSeq = last + 1;
        this.committedThrough = last;
    }

    /** Reads what the receiver left undelivered; runs on the caller's thread at start-up. */
    public static SqliteDeliveryStore open(StoreDatabase database, String receiver, long maxBytes, String label) {
        List<Stored> rows = database.call(connection -> {
            DeliveryTable.register(connection, receiver);
            return DeliveryTable.undelivered(connection, receiver);
        });
        return new SqliteDeliveryStore(database, receiver, maxBytes, label, rows);
    }

    @Override
    public synchronized List<Stored> recover() {
        List<Stored> rows = recovered;
        recovered = List.of();
        return rows;
    }

    @Override
    public Admission admit(Delivery delivery, StoreTransaction transaction) {
        long cost = cost(delivery);
        if (cost > maxBytes) {
            return Admission.refused("a body of " + delivery.payload().body().length
                    + " bytes does not fit wgmon.webhook.spool-max-size");
        }
        long seq;
        List<Long> evicted = new ArrayList<>();
        synchronized (this) {
            Iterator<Map.Entry<Long, Long>> oldest = live.entrySet().iterator();
            while (bytes + cost > maxBytes && oldest.hasNext()) {
                Map.Entry<Long, Long> entry = oldest.next();
                evicted.add(entry.getKey());
                bytes -= entry.getValue();
                oldest.remove();
            }
            seq = nextSeq++;
            live.put(seq, cost);
            bytes += cost;
        }
        transaction.add(new Insert(seq, delivery, evicted));
        return Admission.admitted(seq, evicted);
    }

    @Override
    public void whenStored(long seq, Runnable then) {
        synchronized (this) {
            if (seq > committedThrough) {
                awaitingCommit.put(seq, then);
                return;
            }
        }
        then.run();
    }

    @Override
    public void done(long seq) {
        synchronized (this) {
            Long cost = live.remove(seq);
            if (cost == null || closed) {
                return;
            }
            bytes -= cost;
            if (seq > committedThrough) {
                doneBeforeInsert.add(seq);
            }
        }
        database.submit(new Delete(List.of(seq)));
    }

    @Override
    public void attemptStarting(List<Long> seqs, Runnable then) {
        database.submit(new CountStarted(seqs, 1, then));
    }

    @Override
    public void attemptEnded(List<Long> seqs) {
        database.submit(new CountStarted(seqs, -1, () -> { }));
    }

    /** Bytes of undelivered rows, counted against {@code spool-max-size}. */
    synchronized long bytes() {
        return bytes;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public synchronized void close() {
        closed = true;
        awaitingCommit.clear();
    }

    private void committed(long seq, boolean durable, Delivery delivery) {
        if (!durable) {
            LOG.debugf("cannot write %s to the store of %s: kept in memory only, lost on restart",
                    delivery.describe(), label);
        }
        Runnable then;
        synchronized (this) {
            committedThrough = Math.max(committedThrough, seq);
            then = awaitingCommit.remove(seq);
            doneBeforeInsert.remove(seq);
        }
        if (then != null) {
            then.run();
        }
    }

    private synchronized boolean doneBefore(long seq) {
        return doneBeforeInsert.contains(seq);
    }

    public static long cost(Delivery delivery) {
        return ROW_OVERHEAD + delivery.payload().body().length + utf8(delivery.peer().interfaceName())
                + utf8(delivery.peer().publicKey()) + utf8(delivery.eventType()) + utf8(delivery.id())
                + utf8(delivery.payload().contentType());
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private final class Insert implements StoreWrite {
        private final long seq;
        private final Delivery delivery;
        private final List<Long> evicted;

        Insert(long seq, Delivery delivery, List<Long> evicted) {
            this.seq = seq;
            this.delivery = delivery;
            this.evicted = evicted;
        }

        @Override
        public void apply(Connection connection) throws SQLException {
            if (!evicted.isEmpty()) {
                DeliveryTable.delete(connection, receiver, evicted);
            }
            if (!doneBefore(seq)) {
                DeliveryTable.insert(connection, receiver, seq, delivery);
            }
        }

        @Override
        public void committed(boolean durable) {
            SqliteDeliveryStore.this.committed(seq, durable, delivery);
        }
    }

    private final class CountStarted implements StoreWrite {
        private final List<Long> seqs;
        private final int change;
        private final Runnable then;

        CountStarted(List<Long> seqs, int change, Runnable then) {
            this.seqs = List.copyOf(seqs);
            this.change = change;
            this.then = then;
        }

        @Override
        public void apply(Connection connection) throws SQLException {
            DeliveryTable.countStarted(connection, receiver, seqs, change);
        }

        @Override
        public void committed(boolean durable) {
            synchronized (SqliteDeliveryStore.this) {
                if (closed) {
                    return;
                }
            }
            if (!durable && change > 0) {
                LOG.debugf("cannot count an attempt in the store of %s: if it ends the process, it is tried first "
                        + "again", label);
            }
            then.run(); // sent even when the disk failed: delivery goes on in memory, as for inserts
        }
    }

    private final class Delete implements StoreWrite {
        private final List<Long> seqs;

        Delete(List<Long> seqs) {
            this.seqs = seqs;
        }

        @Override
        public void apply(Connection connection) throws SQLException {
            DeliveryTable.delete(connection, receiver, seqs);
        }

        @Override
        public void committed(boolean durable) {
            if (!durable) {
                LOG.debugf("cannot mark %d deliveries done in the store of %s: they are sent again after a restart",
                        seqs.size(), label);
            }
        }
    }
}
