package io.wgmon.delivery.queue;

import io.wgmon.tracking.PeerKey;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One receiver's deliveries as a FIFO per peer, findable by sequence number. Only a lane's head is ever
 * attempted. Not thread-safe: it lives on its {@link ReceiverQueue}'s context.
 */
final class Lanes {
    private final Map<PeerKey, ArrayDeque<QueuedDelivery>> lanes = new HashMap<>();
    private final Map<Long, QueuedDelivery> bySeq = new HashMap<>();
    private int size;

    /** @return whether the delivery is now the head of a lane that was idle */
    boolean add(QueuedDelivery queued) {
        ArrayDeque<QueuedDelivery> lane = lanes.computeIfAbsent(queued.delivery.peer(), key -> new ArrayDeque<>());
        lane.addLast(queued);
        bySeq.put(queued.seq, queued);
        size++;
        return lane.size() == 1;
    }

    /**
     * Forgets deliveries dropped from the store. A lane's head may be in flight or waiting for a retry, so
     * it is only marked {@link QueuedDelivery#evicted} and leaves at its next step; it is not counted here,
     * because an attempt already on the wire may still be delivered.
     *
     * @return how many waiting deliveries were dropped now
     */
    int evict(List<Long> seqs) {
        int dropped = 0;
        for (long seq : seqs) {
            QueuedDelivery queued = bySeq.remove(seq);
            if (queued == null) {
                continue;
            }
            ArrayDeque<QueuedDelivery> lane = lanes.get(queued.delivery.peer());
            if (lane.peekFirst() == queued) {
                queued.evicted = true;
            } else {
                lane.remove(queued);
                size--;
                dropped++;
            }
        }
        return dropped;
    }

    /** Removes a lane's head; returns the lane's next delivery, null when the lane is now idle. */
    QueuedDelivery removeHead(QueuedDelivery head) {
        PeerKey key = head.delivery.peer();
        ArrayDeque<QueuedDelivery> lane = lanes.get(key);
        if (lane == null || lane.peekFirst() != head) {
            throw new IllegalStateException(head.delivery.describe() + " is not the head of its lane");
        }
        lane.removeFirst();
        bySeq.remove(head.seq);
        size--;
        QueuedDelivery next = lane.peekFirst();
        if (next == null) {
            lanes.remove(key);
        }
        return next;
    }

    /** The lane's head, null when the peer has nothing queued. */
    QueuedDelivery head(PeerKey key) {
        ArrayDeque<QueuedDelivery> lane = lanes.get(key);
        return lane == null ? null : lane.peekFirst();
    }

    List<QueuedDelivery> heads() {
        return lanes.values().stream().map(ArrayDeque::peekFirst).toList();
    }

    /** Deliveries queued or in flight, evicted heads included until they leave. */
    int size() {
        return size;
    }

    void clear() {
        lanes.clear();
        bySeq.clear();
        size = 0;
    }
}
