package io.wgmon.timing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerSlotTest {

    @Test
    void aTimerThatFiresBeforeArmingReturnsIsStillThePendingOne() throws InterruptedException {
        Object owner = new Object();
        TimerSlot slot = new TimerSlot(new PreemptedTimers());
        CountDownLatch taken = new CountDownLatch(1);
        synchronized (owner) {
            slot.arm(Duration.ofMillis(1), ticket -> {
                synchronized (owner) {
                    if (slot.take(ticket)) {
                        taken.countDown();
                    }
                }
            });
        }
        assertTrue(taken.await(5, TimeUnit.SECONDS), "the timer fired while its owner was still arming it, and was lost");
        synchronized (owner) {
            assertFalse(slot.armed());
        }
    }

    @Test
    void onlyTheLastArmedTimerCounts() {
        ManualTimers timers = new ManualTimers();
        TimerSlot slot = new TimerSlot(timers);
        List<String> fired = new ArrayList<>();
        slot.arm(Duration.ofSeconds(1), ticket -> fired.add("first " + slot.take(ticket)));
        slot.arm(Duration.ofSeconds(2), ticket -> fired.add("second " + slot.take(ticket)));
        assertTrue(slot.armed());
        timers.advance(Duration.ofSeconds(3));
        assertEquals(List.of("second true"), fired);
        assertFalse(slot.armed());
    }

    @Test
    void aCancelledTimerThatFiresAnywayIsStale() {
        List<Long> tickets = new ArrayList<>();
        TimerSlot slot = new TimerSlot(new PreemptedTimers());
        slot.arm(Duration.ZERO, tickets::add);
        assertTrue(slot.armed());
        slot.cancel();
        assertFalse(slot.armed());
        assertFalse(slot.take(tickets.get(0)), "a cancelled timer's ticket");
    }
}
