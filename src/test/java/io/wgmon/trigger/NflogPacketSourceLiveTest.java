package io.wgmon.trigger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.testbed.ThreadCapabilities;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.Testbed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** NFLOG against the real kernel: a wireguard-go server in its own namespace, nft logging its port. */
class NflogPacketSourceLiveTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    record Arrival(PacketEvent event, Instant at) {
    }

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft", "ping");
    }

    @Test
    void aHandshakeAndTheTrafficAfterItArriveAsTheyHappen() throws Exception {
        int port = randomPort();
        int group = randomGroup();
        try (Testbed tb = Testbed.create(port);
             NflogPacketSource source = new NflogPacketSource(group, registry, Clock.systemUTC())) {
            Testbed.Client client = tb.addClient();
            tb.logToNflog(group);
            BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
            source.packets().subscribe().with(event -> arrivals.add(new Arrival(event, Instant.now())));
            NetNs.call(tb.serverNs(), () -> {
                source.start();
                return null;
            });
            assertTrue(source.isReady());
            assertEquals("nflog group " + group, source.describe());

            Instant sent = Instant.now();
            tb.ping(client);

            List<WireGuardPacket> packets = new ArrayList<>();
            while (packets.stream().noneMatch(p -> p.type() == MessageType.TRANSPORT_DATA)) {
                Arrival arrival = arrivals.poll(2, TimeUnit.SECONDS);
                assertNotNull(arrival, "no transport packet arrived; got " + packets);
                WireGuardPacket packet = assertInstanceOf(WireGuardPacket.class, arrival.event());
                assertTrue(Duration.between(sent, arrival.at()).compareTo(Duration.ofSeconds(1)) < 0,
                        "arrived " + Duration.between(sent, arrival.at()) + " after sending");
                assertTrue(!packet.time().isBefore(sent.minusMillis(50))
                        && packet.time().isBefore(sent.plusSeconds(1)), "packet time " + packet.time() + " vs " + sent);
                packets.add(packet);
            }
            assertEquals(MessageType.HANDSHAKE_INITIATION, packets.get(0).type(), packets.toString());
            for (WireGuardPacket packet : packets) {
                assertEquals(InetAddress.getByName("192.0.2.2"), packet.source());
                assertEquals(InetAddress.getByName("192.0.2.1"), packet.destination());
                assertEquals(port, packet.destinationPort());
                assertTrue(packet.interfaceIndex() > 0);
            }
            assertTrue(registry.get("wgmon.packets").tag("source", "nflog").counter().count() >= 2);

            source.close();
            assertFalse(source.isReady());
            assertTrue(readerThreads().isEmpty(), "reader thread still alive");
        }
    }

    @Test
    void aSecondSourceOnTheSameGroupIsToldTheGroupIsTaken() throws Exception {
        int group = randomGroup();
        try (Testbed tb = Testbed.create(randomPort());
             NflogPacketSource first = new NflogPacketSource(group, registry, Clock.systemUTC());
             NflogPacketSource second = new NflogPacketSource(group, registry, Clock.systemUTC())) {
            NetNs.call(tb.serverNs(), () -> {
                first.start();
                return null;
            });
            PacketSourceException e = assertThrows(PacketSourceException.class, () -> NetNs.call(tb.serverNs(), () -> {
                second.start();
                return null;
            }));
            assertEquals("NFLOG group " + group + " is held by another process in this network namespace"
                    + " (e.g. a leftover `tcpdump -i nflog:" + group + "`); stop it or choose another group"
                    + " with wgmon.nflog.group", e.getMessage());
            assertTrue(first.isReady());
            assertFalse(second.isReady());

            first.close();
            try (NflogPacketSource third = new NflogPacketSource(group, registry, Clock.systemUTC())) {
                NetNs.call(tb.serverNs(), () -> {
                    third.start();
                    return null;
                });
                assertTrue(third.isReady(), "closing the first source freed the group");
            }
        }
    }

    @Test
    void anOverrunIsReportedAsLostPacketsAndReadingCarriesOn() throws Exception {
        int port = randomPort();
        int group = randomGroup();
        // the kernel's minimum receive buffer holds about one NFLOG message
        try (Testbed tb = Testbed.create(port);
             NflogPacketSource source = new NflogPacketSource(group, registry, Clock.systemUTC(), 1)) {
            Testbed.Client client = tb.addClient();
            tb.logToNflog(group);
            CountDownLatch firstPacketSeen = new CountDownLatch(1);
            CountDownLatch releaseReader = new CountDownLatch(1);
            BlockingQueue<PacketEvent> events = new LinkedBlockingQueue<>();
            source.packets().subscribe().with(event -> {
                events.add(event);
                if (firstPacketSeen.getCount() == 1) {
                    firstPacketSeen.countDown();
                    await(releaseReader);
                }
            });
            NetNs.call(tb.serverNs(), () -> {
                source.start();
                return null;
            });

            sendDatagrams(tb, client, port, 1);
            assertTrue(firstPacketSeen.await(2, TimeUnit.SECONDS), "first packet did not arrive");
            sendDatagrams(tb, client, port, 2000);
            releaseReader.countDown();

            PacketEvent event;
            do {
                event = events.poll(2, TimeUnit.SECONDS);
                assertNotNull(event, "no PacketsLost after an overrun");
            } while (!(event instanceof PacketsLost));
            assertTrue(registry.get("wgmon.packets.lost").tag("source", "nflog").counter().count() >= 1);

            sendDatagrams(tb, client, port, 1);
            Instant deadline = Instant.now().plusSeconds(2);
            boolean packetAfterLoss = false;
            while (!packetAfterLoss && Instant.now().isBefore(deadline)) {
                PacketEvent next = events.poll(200, TimeUnit.MILLISECONDS);
                packetAfterLoss = next instanceof WireGuardPacket;
            }
            assertTrue(packetAfterLoss, "the reader stopped after the overrun");
            assertTrue(source.isReady());
        }
    }

    @Test
    void withoutCapNetAdminStartSaysSo() throws Exception {
        LivePrerequisites.require();
        NflogPacketSource source = new NflogPacketSource(randomGroup(), registry, Clock.systemUTC());
        try (source) {
            PacketSourceException e = assertThrows(PacketSourceException.class, () -> onThreadWithoutNetAdmin(() -> {
                source.start();
                return null;
            }));
            assertEquals("binding NFLOG group " + source.describe().substring("nflog group ".length())
                    + " needs CAP_NET_ADMIN (run as root or add the NET_ADMIN capability)", e.getMessage());
            assertFalse(source.isReady());
        }
    }

    /** Capabilities are per thread on Linux: a fresh thread drops CAP_NET_ADMIN and runs the task. */
    private static <T> T onThreadWithoutNetAdmin(java.util.concurrent.Callable<T> task) throws Exception {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                ThreadCapabilities.dropEffective(12);
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "without-cap-net-admin");
        thread.start();
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void sendDatagrams(Testbed tb, Testbed.Client client, int port, int count) throws Exception {
        NetNs.call(client.namespace(), () -> {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(client.address(), 0))) {
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

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                fail("test never released the reader");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Thread> readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("wgmon-nflog-reader") && t.isAlive())
                .toList();
    }

    private static int randomGroup() {
        return ThreadLocalRandom.current().nextInt(100, 60001);
    }

    private static int randomPort() {
        return ThreadLocalRandom.current().nextInt(20000, 30000);
    }
}
