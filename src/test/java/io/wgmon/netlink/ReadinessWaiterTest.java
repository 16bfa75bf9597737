package io.wgmon.netlink;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the running kernel's poll and eventfd; needs no privilege. */
class ReadinessWaiterTest {
    private final LibC libc = LibC.load();

    @Test
    void returnsTrueWhenTheDescriptorIsReadable() {
        int other = libc.eventfd(0, 0);
        assertTrue(other >= 0);
        try (ReadinessWaiter waiter = ReadinessWaiter.open(libc)) {
            byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
            libc.write(other, one, one.length);
            assertTrue(waiter.awaitReadable(other));
        } finally {
            libc.close(other);
        }
    }

    @Test
    void wakeEndsAWaitOnAnotherThreadWithFalse() throws Exception {
        int idle = libc.eventfd(0, 0);
        assertTrue(idle >= 0);
        try (ReadinessWaiter waiter = ReadinessWaiter.open(libc)) {
            CompletableFuture<Boolean> outcome = CompletableFuture.supplyAsync(() -> waiter.awaitReadable(idle));
            Thread.sleep(200);
            assertFalse(outcome.isDone(), "returned before anything was readable or woken");
            waiter.wake();
            assertFalse(outcome.get(1, TimeUnit.SECONDS));
        } finally {
            libc.close(idle);
        }
    }
}
