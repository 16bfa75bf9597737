package io.wgmon.delivery.queue;

import io.wgmon.delivery.chat.ChatQueue;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.store.StoreTransaction;
import io.wgmon.tracking.PeerEvent;

/** What the dispatcher needs of one receiver's queue: {@link ReceiverQueue} or {@link ChatQueue}. */
public interface DeliveryQueue {

    /**
     * On the caller's (scan) thread: admits the event without I/O or waiting; a durable queue adds its row to
     * {@code transaction}, and sends it once the transaction committed.
     */
    void offer(PeerEvent event, StoreTransaction transaction);

    /** On the scan thread, with each scan's tracker state changes; only the MQTT sink cares. */
    default void stateChanged(PeerStateChanges changes) {
    }

    int pending();

    String label();

    /** Whether what is pending at {@link #close} stays in the store for the next start. */
    boolean durable();

    /** Stops all sending; returns how many events were still undelivered. */
    int close();
}
