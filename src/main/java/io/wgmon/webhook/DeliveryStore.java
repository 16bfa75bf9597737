package io.wgmon.webhook;

import java.util.List;

/**
 * Where one receiver's undelivered events are kept: in memory only, or in a {@link Spool} as well. Every
 * admitted delivery gets a sequence number and is eventually reported {@link #done} exactly once.
 */
interface DeliveryStore extends AutoCloseable {

    record Stored(long seq, Delivery delivery) {
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

    /** Deliveries left undelivered by the previous run, oldest first, unsigned; empty for memory. */
    List<Stored> recover();

    Admission admit(Delivery delivery);

    /** Called before every attempt; the spool makes sure the delivery is on disk before it is first sent. */
    void beforeSend(long seq);

    /** The delivery was delivered, refused or dropped. */
    void done(long seq);

    /** Makes done marks durable; called on the webhook thread, batched. */
    void flush();

    /** Whether undelivered deliveries outlive {@link #close}. */
    boolean durable();

    @Override
    void close();
}
