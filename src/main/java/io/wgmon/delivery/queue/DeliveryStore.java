package io.wgmon.delivery.queue;

import io.wgmon.delivery.format.Delivery;
import io.wgmon.store.StoreTransaction;

import java.util.List;

/**
 * Where one receiver's undelivered events are kept: in memory only, or in the store as well. Every
 * admitted delivery gets a sequence number and is eventually reported {@link #done} exactly once. No
 * method does I/O on the caller's thread.
 */
public interface DeliveryStore extends AutoCloseable {

    /**
     * @param started attempts that began and were never seen to end: each one was on the wire when a
     *                previous process died
     */
    record Stored(long seq, Delivery delivery, int started) {
    }

    /**
     * @param seq     the delivery's number; meaningless when refused
     * @param evicted older deliveries dropped to make room, oldest first
     * @param refusal why the delivery itself was dropped, null when admitted
     */
    record Admission(long seq, List<Long> evicted, String refusal) {
        static Admission admitted(long seq, List<Long> evicted) {
            return new Admission(seq, evicted, null);
        }

        static Admission refused(String refusal) {
            return new Admission(-1, List.of(), refusal);
        }

        boolean isAdmitted() {
            return refusal == null;
        }
    }

    /** Deliveries left undelivered by the previous run, oldest first, unsigned; handed over once. */
    List<Stored> recover();

    /**
     * Decides at once (bound, eviction); a durable store adds the row (and the deletion of evicted rows) to
     * {@code transaction}, which the caller submits.
     */
    Admission admit(Delivery delivery, StoreTransaction transaction);

    /** Runs {@code then} (on any thread) once the delivery is durable: at once in memory. */
    void whenStored(long seq, Runnable then);

    /**
     * An attempt of these deliveries is about to go on the wire: a durable store counts it first and runs
     * {@code then} (on any thread) once that count is committed, so a process that dies during the attempt
     * leaves it counted. At once in memory.
     */
    void attemptStarting(List<Long> seqs, Runnable then);

    /** The attempt ended without finishing the deliveries (a retry follows): the count goes back down. */
    void attemptEnded(List<Long> seqs);

    /** The delivery was delivered, refused or dropped. */
    void done(long seq);

    /** Whether undelivered deliveries outlive {@link #close}. */
    boolean durable();

    @Override
    void close();
}
