package io.wgmon.os;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the running kernel's poll and eventfd; needs no privilege. */
class ReadinessWaiterTest {
    private final LibC libc = LibC.load();

    @Test
    void returnsTrueWhenTheDescriptorIsReadable() {
        int other = libc.eventfd(0, 0);
        assertTrue(other >= 0);
        ReadinessWaiter waiter = ReadinessWaiter.open(libc);
        try {
            byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
            libc.write(other, one, one.length);
            assertTrue(waiter.whileOpen(() -> waiter.awaitReadable(other), IllegalStateException::new));
        } finally {
            waiter.close(() -> libc.close(other));
        }
    }

    @Test
    void closeWakesAWaiterAndReleasesOnlyAfterItLeft() throws Exception {
        int idle = libc.eventfd(0, 0);
        assertTrue(idle >= 0);
        ReadinessWaiter waiter = ReadinessWaiter.open(libc);
        AtomicInteger releases = new AtomicInteger();
        CompletableFuture<Boolean> outcome = CompletableFuture.supplyAsync(
                () -> waiter.whileOpen(() -> {
                    boolean readable = waiter.awaitReadable(idle);
                    assertEquals(0, releases.get(), "descriptors released under a waiting thread");
                    return readable;
                }, IllegalStateException::new));
        Thread.sleep(200);
        assertFalse(outcome.isDone(), "returned before anything was readable or closing");

        waiter.close(() -> {
            releases.incrementAndGet();
            libc.close(idle);
        });
        assertFalse(outcome.get(1, TimeUnit.SECONDS));
        assertTrue(waiter.isClosed());
        waiter.close(releases::incrementAndGet);
        assertEquals(1, releases.get(), "a second close released again");

        IllegalStateException closed = new IllegalStateException("closed");
        assertSame(closed, assertThrows(IllegalStateException.class,
                () -> waiter.whileOpen(() -> 0, () -> closed)));
    }

    @Test
    void awaitAnyGivesTheReadableDescriptorsAndMinusOneWhenClosing() throws Exception {
        int first = libc.eventfd(0, 0);
        int second = libc.eventfd(0, 0);
        ReadinessWaiter waiter = ReadinessWaiter.open(libc);
        byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
        libc.write(second, one, one.length);
        assertEquals(0b10, waiter.whileOpen(() -> waiter.awaitAnyReadable(first, second), IllegalStateException::new));
        libc.write(first, one, one.length);
        assertEquals(0b11, waiter.whileOpen(() -> waiter.awaitAnyReadable(first, second), IllegalStateException::new));

        int idle = libc.eventfd(0, 0);
        CompletableFuture<Integer> outcome = CompletableFuture.supplyAsync(
                () -> waiter.whileOpen(() -> waiter.awaitAnyReadable(idle), IllegalStateException::new));
        Thread.sleep(200);
        assertFalse(outcome.isDone(), "returned before anything was readable or closing");
        waiter.close(() -> {
            libc.close(first);
            libc.close(second);
            libc.close(idle);
        });
        assertEquals(-1, outcome.get(1, TimeUnit.SECONDS));
    }
}
