package io.wgmon.delivery.queue;

import io.wgmon.delivery.TestEvents;
import io.wgmon.delivery.format.DeliveryRenderer;
import io.wgmon.delivery.format.JsonPayloadFormat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LanesTest {
    private final DeliveryRenderer renderer = new DeliveryRenderer(new JsonPayloadFormat(),
            Optional.empty(), Optional.empty());
    private final Lanes lanes = new Lanes();

    @Test
    void eachPeerIsAFifoAndOnlyAnIdleLaneReportsANewHead() {
        QueuedDelivery a1 = queued(0, 1);
        QueuedDelivery b1 = queued(1, 2);
        QueuedDelivery a2 = queued(2, 1);
        assertTrue(lanes.add(a1));
        assertTrue(lanes.add(b1));
        assertFalse(lanes.add(a2));
        assertEquals(3, lanes.size());

        assertSame(a2, lanes.removeHead(a1));
        assertNull(lanes.removeHead(a2));
        assertThrows(IllegalStateException.class, () -> lanes.removeHead(a2));
        assertEquals(List.of(b1), lanes.heads());
        assertEquals(1, lanes.size());
    }

    @Test
    void evictionRemovesWaitingDeliveriesAndOnlyMarksTheHead() {
        QueuedDelivery head = queued(0, 1);
        QueuedDelivery second = queued(1, 1);
        QueuedDelivery third = queued(2, 1);
        List.of(head, second, third).forEach(lanes::add);

        assertEquals(1, lanes.evict(List.of(0L, 1L, 99L)), "only the waiting one is dropped now");
        assertTrue(head.evicted, "the head may be in flight: marked, left in place, counted when it leaves");
        assertFalse(second.evicted);
        assertEquals(2, lanes.size());
        assertSame(third, lanes.removeHead(head), "the evicted waiting one is gone");
    }

    private QueuedDelivery queued(long seq, int peer) {
        return new QueuedDelivery(seq, renderer.render(TestEvents.numbered(TestEvents.key(peer), seq)));
    }
}
