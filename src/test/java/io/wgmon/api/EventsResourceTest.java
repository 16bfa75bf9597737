package io.wgmon.api;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventsResourceTest {
    @Test
    void aReaderThatNeverReadsIsDroppedAndTheOthersAndTheEmitterGoOn() {
        BroadcastProcessor<Integer> events = BroadcastProcessor.create();
        AssertSubscriber<Integer> stalled = EventsResource.perReader(events).subscribe().withSubscriber(AssertSubscriber.create(0));
        AssertSubscriber<Integer> reading = EventsResource.perReader(events).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        int count = EventsResource.PER_CLIENT_BUFFER * 3;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            events.onNext(i);
        }
        System.out.printf("EventsResource: %d events emitted beside a stalled reader in %d us%n", count,
                (System.nanoTime() - start) / 1000);
        assertInstanceOf(BackPressureFailure.class, stalled.getFailure(), "the stalled reader is dropped");
        assertTrue(stalled.getItems().isEmpty());
        assertEquals(count, reading.getItems().size(), "the reading reader got every event");
        events.onNext(-1);
        assertEquals(count + 1, reading.getItems().size());
    }
}
