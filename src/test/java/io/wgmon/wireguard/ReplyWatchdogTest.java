package io.wgmon.wireguard;

import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkSocket;
import io.wgmon.netlink.NetlinkSocketClosedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On real netlink sockets of this kernel: a receive nobody answers is cut off at the deadline. */
class ReplyWatchdogTest {

    @Test
    void aReceiveWithoutReplyEndsAtTheDeadline() {
        try (ReplyWatchdog watchdog = new ReplyWatchdog(Duration.ofMillis(200));
             NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            socket.bind(0);
            long start = System.nanoTime();
            ReplyWatchdog.Armed deadline = watchdog.arm(socket);

            // no request was sent: nothing will ever arrive
            assertThrows(NetlinkSocketClosedException.class, socket::receive);

            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis >= 190 && waitedMillis < 2000, waitedMillis + " ms");
            assertTrue(deadline.expired());
            assertTrue(socket.isClosed());
        }
    }

    @Test
    void aDisarmedDeadlineLeavesTheSocketOpen() throws Exception {
        try (ReplyWatchdog watchdog = new ReplyWatchdog(Duration.ofMillis(100));
             NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            ReplyWatchdog.Armed deadline = watchdog.arm(socket);
            deadline.close();

            Thread.sleep(300);

            assertFalse(deadline.expired());
            assertFalse(socket.isClosed());
        }
    }
}
