package io.wgmon.netlink;

import io.wgmon.os.Errno;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
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
            List<Integer> types = new ArrayList<>();
            List<String> names = new ArrayList<>();
            socket.exchange(RTM_GETLINK, Netlink.NLM_F_DUMP, new byte[IFINFOMSG_LENGTH], Duration.ofSeconds(5), link -> {
                types.add(link.type());
                AttributeDecoder attributes = AttributeDecoder.of(link.payload().position(IFINFOMSG_LENGTH));
                while (attributes.next()) {
                    if (attributes.type() == IFLA_IFNAME) {
                        names.add(attributes.string());
                    }
                }
                attributes.check();
            });
            assertTrue(types.stream().allMatch(type -> type == RTM_NEWLINK), types.toString());
            assertEquals(types.size(), names.size());
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
            assertEquals(NetlinkException.Reason.REFUSED, e.reason());
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
        assertEquals(NetlinkException.Reason.CLOSED,
                assertInstanceOf(NetlinkException.class, outcome.get(1, TimeUnit.SECONDS)).reason());
        assertTrue(System.nanoTime() - closing < TimeUnit.SECONDS.toNanos(1));
        reader.join(1000);
        socket.close();
        assertEquals(NetlinkException.Reason.CLOSED, assertThrows(NetlinkException.class, socket::receive).reason());
        assertEquals(NetlinkException.Reason.CLOSED,
                assertThrows(NetlinkException.class, () -> socket.send(new byte[16])).reason());
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
        assertEquals(NetlinkException.Reason.SYSTEM_CALL, e.reason());
        assertEquals(jnr.constants.platform.Errno.EPROTONOSUPPORT.intValue(), e.errno());
        assertTrue(e.getMessage().startsWith("socket(AF_NETLINK, 31): EPROTONOSUPPORT"), e.getMessage());
    }

}
