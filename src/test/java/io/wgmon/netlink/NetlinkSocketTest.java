package io.wgmon.netlink;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Against the running kernel: netlink sockets need no namespace and, for these calls, no privilege. */
class NetlinkSocketTest {
    private static final int RTM_NEWLINK = 16;
    private static final int RTM_GETLINK = 18;
    private static final int IFLA_IFNAME = 3;
    private static final int IFINFOMSG_LENGTH = 16;

    @Test
    void dumpsTheLinksOfThisNamespace() {
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            socket.bind(0);
            List<NetlinkMessage> links = socket.dump(RTM_GETLINK, 0, new byte[IFINFOMSG_LENGTH]);
            assertTrue(links.stream().allMatch(link -> link.type() == RTM_NEWLINK));
            List<String> names = links.stream()
                    .map(link -> NetlinkAttributes.parse(link.payload().position(IFINFOMSG_LENGTH))
                            .first(IFLA_IFNAME).orElseThrow().string())
                    .toList();
            assertTrue(names.contains("lo"), names.toString());
        }
    }

    @Test
    void aRefusedRequestCarriesTheKernelsErrno() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs CAP_NET_ADMIN");
        // UNBIND of an NFLOG group nobody bound: the kernel answers ENODEV
        byte[] unbindUnusedGroup = new AttributeWriter().header(new byte[] {0, 0, (byte) 0xfe, (byte) 0xdc})
                .putU8(1, 2).toByteArray();
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_NETFILTER)) {
            socket.bind(0);
            NetlinkException e = assertThrows(NetlinkException.class, () -> socket.request(0x0401, 0, unbindUnusedGroup));
            assertEquals(Errno.ENODEV, e.errno());
            assertEquals("netlink request type 0x401: ENODEV (No such device)", e.getMessage());
        }
    }

    @Test
    void closeWakesABlockedReceiverThatUsedNoCpuWhileWaiting() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_NETFILTER);
        socket.bind(0);
        CompletableFuture<Long> readerId = new CompletableFuture<>();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            readerId.complete(Thread.currentThread().getId());
            try {
                outcome.complete(socket.receive());
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        });
        reader.start();
        long id = readerId.get(1, TimeUnit.SECONDS);
        Thread.sleep(200);
        long cpuBefore = threads.getThreadCpuTime(id);
        Thread.sleep(500);
        long cpuWhileIdle = threads.getThreadCpuTime(id) - cpuBefore;
        assertTrue(cpuWhileIdle < TimeUnit.MILLISECONDS.toNanos(5), "idle reader used " + cpuWhileIdle + " ns");

        long closing = System.nanoTime();
        socket.close();
        assertInstanceOf(NetlinkSocketClosedException.class, outcome.get(1, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - closing < TimeUnit.SECONDS.toNanos(1));
        reader.join(1000);
        socket.close();
        assertThrows(NetlinkSocketClosedException.class, socket::receive);
        assertThrows(NetlinkSocketClosedException.class, () -> socket.send(new byte[16]));
    }

    @Test
    void receiveBufferCanBeRaised() {
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_NETFILTER)) {
            socket.setReceiveBufferSize(256 * 1024);
            // the kernel doubles the value; without CAP_NET_ADMIN it is capped by rmem_max
            assertTrue(socket.receiveBufferSize() >= 2 * 256 * 1024
                    || !"root".equals(System.getProperty("user.name")), "got " + socket.receiveBufferSize());
        }
    }

    @Test
    void openingAnUnknownProtocolNamesTheErrno() {
        NetlinkException e = assertThrows(NetlinkException.class, () -> NetlinkSocket.open(31));
        assertEquals(Errno.EPROTONOSUPPORT, e.errno());
        assertTrue(e.getMessage().startsWith("socket(AF_NETLINK, 31): EPROTONOSUPPORT"), e.getMessage());
    }

}
