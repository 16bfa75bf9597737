package io.wgmon.delivery.queue;

import io.wgmon.delivery.format.Delivery;
import io.wgmon.store.StoreTransaction;

import java.util.List;

/** Deliveries held in memory only, at most {@code capacity}; beyond it new ones are refused. */
public final class MemoryDeliveryStore implements DeliveryStore {
    private final int capacity;
    private long nextSeq;
    private int held;

    public MemoryDeliveryStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue size must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public List<Stored> recover() {
        return List.of();
    }

    @Override
    public synchronized Admission admit(Delivery delivery, StoreTransaction transaction) {
        if (held >= capacity) {
            return Admission.refused("the queue is full (" + capacity + " events)");
        }
        held++;
        return Admission.admitted(nextSeq++, List.of());
    }

    @Override
    public void whenStored(long seq, Runnable then) {
        then.run();
    }

    @Override
    public synchronized void done(long seq) {
        held--;
    }

    @Override
    public void attemptStarting(List<Long> seqs, Runnable then) {
        then.run();
    }

    @Override
    public void attemptEnded(List<Long> seqs) {
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public void close() {
    }
}
