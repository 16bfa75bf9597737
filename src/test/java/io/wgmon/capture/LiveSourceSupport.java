package io.wgmon.capture;

import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.Testbed;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What the packet source live tests share: starting in a namespace, sending, collecting events. */
public final class LiveSourceSupport {

    /** An event and when the subscriber saw it. */
    public record Arrival(PacketEvent event, Instant at) {
    }

    private LiveSourceSupport() {
    }

    public static BlockingQueue<Arrival> subscribe(PacketSource source) {
        BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        source.packets().subscribe().with(event -> arrivals.add(new Arrival(event, Instant.now())));
        return arrivals;
    }

    /** Starts the source on a thread in {@code namespace}, so its socket lives there. */
    public static void startIn(String namespace, PacketSource source) throws Exception {
        NetNs.call(namespace, () -> {
            source.start();
            return null;
        });
    }

    /**
     * Takes WireGuard packets until a transport data packet came, each within 2 s of the one
     * before; {@code check} looks at every one as it arrives.
     */
    public static List<WireGuardPacket> untilTransportData(BlockingQueue<Arrival> arrivals,
                                                    BiConsumer<Arrival, WireGuardPacket> check) throws InterruptedException {
        List<WireGuardPacket> packets = new ArrayList<>();
        while (packets.stream().noneMatch(p -> p.type() == MessageType.TRANSPORT_DATA)) {
            Arrival arrival = arrivals.poll(2, TimeUnit.SECONDS);
            assertNotNull(arrival, "no transport packet arrived; got " + packets);
            WireGuardPacket packet = assertInstanceOf(WireGuardPacket.class, arrival.event());
            check.accept(arrival, packet);
            packets.add(packet);
        }
        return packets;
    }

    /** A check for {@link #untilTransportData}: seen within a second of {@code sent}, and stamped so. */
    public static BiConsumer<Arrival, WireGuardPacket> promptlyAfter(Instant sent) {
        return (arrival, packet) -> {
            assertTrue(Duration.between(sent, arrival.at()).compareTo(Duration.ofSeconds(1)) < 0,
                    "arrived " + Duration.between(sent, arrival.at()) + " after sending");
            assertTrue(!packet.time().isBefore(sent.minusMillis(50))
                    && packet.time().isBefore(sent.plusSeconds(1)), "packet time " + packet.time() + " vs " + sent);
        };
    }

    /** One 32-byte datagram shaped like WireGuard transport data, from the client's address and this port. */
    public static void sendDatagram(Testbed.Client client, int port, int sourcePort) throws Exception {
        send(client, port, sourcePort, 1);
    }

    /** {@code count} such datagrams from an ephemeral port. */
    public static void sendDatagrams(Testbed.Client client, int port, int count) throws Exception {
        send(client, port, 0, count);
    }

    private static void send(Testbed.Client client, int port, int sourcePort, int count) throws Exception {
        NetNs.call(client.namespace(), () -> {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(client.address(), sourcePort))) {
                byte[] transportLike = new byte[32];
                transportLike[0] = 4;
                InetSocketAddress server = new InetSocketAddress("192.0.2.1", port);
                for (int i = 0; i < count; i++) {
                    socket.send(new DatagramPacket(transportLike, transportLike.length, server));
                }
            }
            return null;
        });
    }

    public static List<Thread> readerThreads(String threadName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(threadName) && t.isAlive())
                .toList();
    }

    public static int randomPort() {
        return ThreadLocalRandom.current().nextInt(20000, 30000);
    }

    /**
     * A subscriber that holds the reader inside the first event until {@link #release()}, so a
     * test can overfill the kernel's buffer behind it; it queues every event it gets.
     */
    public static final class StallingSubscriber {
        private final CountDownLatch firstPacketSeen = new CountDownLatch(1);
        private final CountDownLatch releaseReader = new CountDownLatch(1);
        private final BlockingQueue<PacketEvent> events = new LinkedBlockingQueue<>();

        public StallingSubscriber(PacketSource source) {
            source.packets().subscribe().with(event -> {
                events.add(event);
                if (firstPacketSeen.getCount() == 1) {
                    firstPacketSeen.countDown();
                    await(releaseReader);
                }
            });
        }

        public void awaitFirstPacket() throws InterruptedException {
            assertTrue(firstPacketSeen.await(2, TimeUnit.SECONDS), "first packet did not arrive");
        }

        public void release() {
            releaseReader.countDown();
        }

        /** Takes events until a {@link PacketsLost}; each must come within {@code gap}. */
        public void awaitLoss(Duration gap, String failure) throws InterruptedException {
            PacketEvent event;
            do {
                event = events.poll(gap.toMillis(), TimeUnit.MILLISECONDS);
                assertNotNull(event, failure);
            } while (!(event instanceof PacketsLost));
        }

        public void clear() {
            events.clear();
        }

        /** Whether an event that {@code wanted} accepts comes within 2 s. */
        public boolean sees(Predicate<PacketEvent> wanted) throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(2);
            boolean seen = false;
            while (!seen && Instant.now().isBefore(deadline)) {
                seen = wanted.test(events.poll(200, TimeUnit.MILLISECONDS));
            }
            return seen;
        }

        private static void await(CountDownLatch latch) {
            try {
                if (!latch.await(10, TimeUnit.SECONDS)) {
                    fail("test never released the reader");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
