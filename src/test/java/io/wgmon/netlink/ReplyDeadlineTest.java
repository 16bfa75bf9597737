package io.wgmon.netlink;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On real netlink sockets of this kernel: a request nobody answers ends at its deadline, which
 * poll(2) enforces on the requesting thread. An NLMSG_NOOP request without NLM_F_ACK is one the
 * kernel accepts and never answers; with NLM_F_ACK it is acknowledged. No privilege needed.
 */
class ReplyDeadlineTest {
    private static final byte[] NO_BODY = new byte[0];

    @Test
    void aRequestWithoutReplyEndsAtTheDeadlineWithoutBurningCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            socket.bind(0);
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();

            NetlinkException e = assertThrows(NetlinkException.class, () -> socket.exchange(
                    Netlink.NLMSG_NOOP, 0, NO_BODY, Duration.ofMillis(300), message -> {
                    }));

            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long cpuMillis = TimeUnit.NANOSECONDS.toMillis(threads.getCurrentThreadCpuTime() - cpuBefore);
            assertEquals(NetlinkException.Reason.TIMEOUT, e.reason());
            assertEquals("netlink request type 0x1: no complete reply within PT0.3S", e.getMessage());
            assertTrue(waitedMillis >= 300 && waitedMillis < 2000, waitedMillis + " ms");
            assertTrue(cpuMillis < 100, "waiting used " + cpuMillis + " ms of CPU");
            assertFalse(socket.isClosed(), "a deadline does not close the socket");
        }
    }

    @Test
    void theSocketStillAnswersTheNextRequestAfterADeadline() {
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            socket.bind(0);
            assertThrows(NetlinkException.class, () -> socket.exchange(
                    Netlink.NLMSG_NOOP, 0, NO_BODY, Duration.ofMillis(50), message -> {
                    }));
            List<NetlinkMessage> data = new ArrayList<>();

            socket.exchange(Netlink.NLMSG_NOOP, Netlink.NLM_F_ACK, NO_BODY, Duration.ofSeconds(5), data::add);

            assertTrue(data.isEmpty(), "an acknowledgement carries no data");
        }
    }

    @Test
    void closingWakesARequestBeforeItsDeadline() throws Exception {
        NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
        socket.bind(0);
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread requester = new Thread(() -> {
            try {
                socket.exchange(Netlink.NLMSG_NOOP, 0, NO_BODY, Duration.ofSeconds(30), message -> {
                });
                outcome.complete("answered");
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        });
        requester.start();
        Thread.sleep(200);
        long closing = System.nanoTime();

        socket.close();

        NetlinkException e = assertInstanceOf(NetlinkException.class, outcome.get(2, TimeUnit.SECONDS));
        assertEquals(NetlinkException.Reason.CLOSED, e.reason());
        assertTrue(System.nanoTime() - closing < TimeUnit.SECONDS.toNanos(1));
        requester.join(1000);
    }

    @Test
    void aDeadlineAlreadyPastDoesNotWait() {
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            socket.bind(0);
            long start = System.nanoTime();
            NetlinkException e = assertThrows(NetlinkException.class, () -> socket.exchange(
                    Netlink.NLMSG_NOOP, 0, NO_BODY, Duration.ofNanos(1), message -> {
                    }));
            assertEquals(NetlinkException.Reason.TIMEOUT, e.reason());
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500));
        }
    }
}
