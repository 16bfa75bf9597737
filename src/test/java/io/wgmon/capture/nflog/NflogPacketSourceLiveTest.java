package io.wgmon.capture.nflog;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wgmon.capture.LiveSourceSupport;
import io.wgmon.capture.LiveSourceSupport.Arrival;
import io.wgmon.capture.LiveSourceSupport.StallingSubscriber;
import io.wgmon.capture.MessageType;
import io.wgmon.capture.PacketSourceException;
import io.wgmon.capture.PacketsLost;
import io.wgmon.capture.WireGuardPacket;
import io.wgmon.handshake.Mac1;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.ThreadCapabilities;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.wgmon.capture.LiveSourceSupport.promptlyAfter;
import static io.wgmon.capture.LiveSourceSupport.randomPort;
import static io.wgmon.capture.LiveSourceSupport.sendDatagrams;
import static io.wgmon.capture.LiveSourceSupport.startIn;
import static io.wgmon.capture.LiveSourceSupport.subscribe;
import static io.wgmon.capture.LiveSourceSupport.untilTransportData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NFLOG against the real kernel: a wireguard-go server in its own namespace, nft logging its port. */
class NflogPacketSourceLiveTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft", "ping");
    }

    @Test
    void aHandshakeAndTheTrafficAfterItArriveAsTheyHappen() throws Exception {
        int port = randomPort();
        int group = randomGroup();
        try (Testbed tb = Testbed.create(port);
             NflogPacketSource source = new NflogPacketSource(group, registry, Clock.systemUTC(), NflogPacketSource.DEFAULT_RECEIVE_BUFFER_BYTES)) {
            Testbed.Client client = tb.addClient();
            tb.logToNflog(group, Duration.ofSeconds(180));
            BlockingQueue<Arrival> arrivals = subscribe(source);
            startIn(tb.serverNs(), source);
            assertTrue(source.isReady());
            assertEquals("nflog group " + group, source.describe());

            Instant sent = Instant.now();
            tb.ping(client);

            List<WireGuardPacket> packets = untilTransportData(arrivals, promptlyAfter(sent));
            assertEquals(MessageType.HANDSHAKE_INITIATION, packets.get(0).type(), packets.toString());
            assertTrue(new Mac1(tb.serverPublicKey()).valid(packets.get(0).initiation().bytes(), 0),
                    "wireguard-go's initiation carries a mac1 for the server's key");
            assertFalse(new Mac1("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").valid(packets.get(0).initiation().bytes(), 0),
                    "and not for another key");
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
             NflogPacketSource first = new NflogPacketSource(group, registry, Clock.systemUTC(), NflogPacketSource.DEFAULT_RECEIVE_BUFFER_BYTES);
             NflogPacketSource second = new NflogPacketSource(group, registry, Clock.systemUTC(), NflogPacketSource.DEFAULT_RECEIVE_BUFFER_BYTES)) {
            startIn(tb.serverNs(), first);
            PacketSourceException e = assertThrows(PacketSourceException.class, () -> startIn(tb.serverNs(), second));
            assertEquals("NFLOG group " + group + " is held by another process in this network namespace"
                    + " (e.g. a leftover `tcpdump -i nflog:" + group + "`); stop it or choose another group"
                    + " with wgmon.nflog.group", e.getMessage());
            assertTrue(first.isReady());
            assertFalse(second.isReady());

            first.close();
            try (NflogPacketSource third = new NflogPacketSource(group, registry, Clock.systemUTC(), NflogPacketSource.DEFAULT_RECEIVE_BUFFER_BYTES)) {
                startIn(tb.serverNs(), third);
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
            tb.logToNflog(group, Duration.ofSeconds(180));
            StallingSubscriber subscriber = new StallingSubscriber(source);
            startIn(tb.serverNs(), source);

            sendDatagrams(client, port, 1);
            subscriber.awaitFirstPacket();
            sendDatagrams(client, port, 2000);
            subscriber.release();

            subscriber.awaitLoss(Duration.ofSeconds(2), "no PacketsLost after an overrun");
            assertTrue(registry.get("wgmon.packets.lost").tag("source", "nflog").counter().count() >= 1);

            sendDatagrams(client, port, 1);
            boolean packetAfterLoss = subscriber.sees(next -> next instanceof WireGuardPacket);
            assertTrue(packetAfterLoss, "the reader stopped after the overrun");
            assertTrue(source.isReady());
        }
    }

    @Test
    void withoutCapNetAdminStartSaysSo() throws Exception {
        LivePrerequisites.require();
        NflogPacketSource source = new NflogPacketSource(randomGroup(), registry, Clock.systemUTC(), NflogPacketSource.DEFAULT_RECEIVE_BUFFER_BYTES);
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

    private static List<Thread> readerThreads() {
        return LiveSourceSupport.readerThreads("wgmon-nflog-reader");
    }

    private static int randomGroup() {
        return ThreadLocalRandom.current().nextInt(100, 60001);
    }
}
