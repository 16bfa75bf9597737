package io.wgmon.delivery.queue;

import io.smallrye.mutiny.subscription.Cancellable;
import io.wgmon.delivery.format.Delivery;

/** A delivery in a receiver's lane. The mutable fields belong to the {@link ReceiverQueue}'s context. */
final class QueuedDelivery {
    final long seq;
    final Delivery delivery;
    int failedAttempts;
    /** Evicted from the store while at the head of its lane: finished at its next step, never sent again. */
    boolean evicted;
    /** This attempt is the open circuit's probe. */
    boolean probe;
    /** The attempt on the wire, cancelled when the queue closes. */
    Cancellable inFlight;

    QueuedDelivery(long seq, Delivery delivery) {
        this.seq = seq;
        this.delivery = delivery;
    }
}
