package io.wgmon.capture.pcap;

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
import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.ThreadCapabilities;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.wgmon.capture.LiveSourceSupport.promptlyAfter;
import static io.wgmon.capture.LiveSourceSupport.randomPort;
import static io.wgmon.capture.LiveSourceSupport.sendDatagram;
import static io.wgmon.capture.LiveSourceSupport.sendDatagrams;
import static io.wgmon.capture.LiveSourceSupport.startIn;
import static io.wgmon.capture.LiveSourceSupport.subscribe;
import static io.wgmon.capture.LiveSourceSupport.untilTransportData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** libpcap against the real kernel: capturing on the server namespace's link to a wireguard-go client. */
class PcapPacketSourceLiveTest {
    private static final int CAP_NET_RAW = 13;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "ping");
    }

    @Test
    void aHandshakeAndTheTrafficAfterItArriveAsTheyHappen() throws Exception {
        int port = randomPort();
        try (Testbed tb = Testbed.create(port);
             PcapPacketSource source = source(tb.serverVeth(), "udp and dst port " + port)) {
            Testbed.Client client = tb.addClient();
            BlockingQueue<Arrival> arrivals = subscribe(source);
            startIn(tb.serverNs(), source);
            assertTrue(source.isReady());
            assertEquals("bpf on " + tb.serverVeth() + " (udp and dst port " + port + ")", source.describe());
            assertEquals(1, packetSockets(tb), "one capture socket in the server namespace");

            Instant sent = Instant.now();
            tb.ping(client);

            List<WireGuardPacket> packets = untilTransportData(arrivals, promptlyAfter(sent));
            assertEquals(MessageType.HANDSHAKE_INITIATION, packets.get(0).type(), packets.toString());
            assertTrue(new Mac1(tb.serverPublicKey()).valid(packets.get(0).initiation().bytes(), 0),
                    "wireguard-go's initiation carries a mac1 for the server's key");
            assertFalse(new Mac1("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").valid(packets.get(0).initiation().bytes(), 0),
                    "and not for another key");
            int bridgeIndex = Integer.parseInt(tb.sh(tb.serverNs(), "cat",
                    "/sys/class/net/" + tb.serverVeth() + "/ifindex").trim());
            for (WireGuardPacket packet : packets) {
                assertEquals(InetAddress.getByName("192.0.2.2"), packet.source());
                assertEquals(InetAddress.getByName("192.0.2.1"), packet.destination());
                assertEquals(port, packet.destinationPort());
                assertEquals(bridgeIndex, packet.interfaceIndex());
            }
            assertTrue(registry.get("wgmon.packets").tag("source", "bpf").counter().count() >= 2);

            source.close();
            assertFalse(source.isReady());
            assertTrue(readerThreads().isEmpty(), "reader thread still alive");
            assertEquals(0, packetSockets(tb), "capture socket still open after close()");
            source.close();
        }
    }

    @Test
    void theAnyPseudoInterfaceGivesLinuxCookedFramesThatParseToo() throws Exception {
        int port = randomPort();
        try (Testbed tb = Testbed.create(port);
             PcapPacketSource source = source("any", "udp and dst port " + port)) {
            Testbed.Client client = tb.addClient();
            BlockingQueue<Arrival> arrivals = subscribe(source);
            startIn(tb.serverNs(), source);

            tb.ping(client);

            List<WireGuardPacket> packets = untilTransportData(arrivals, (arrival, packet) -> { });
            assertEquals(MessageType.HANDSHAKE_INITIATION, packets.get(0).type(), packets.toString());
            for (WireGuardPacket packet : packets) {
                assertEquals(InetAddress.getByName("192.0.2.2"), packet.source());
                assertEquals(port, packet.destinationPort());
            }
            assertEquals(0.0, registry.find("wgmon.packets.malformed").counters().stream()
                    .mapToDouble(c -> c.count()).sum(), "cooked frames were rejected");
        }
    }

    @Test
    void anIdleReaderCostsNoCpu() throws Exception {
        try (Testbed tb = Testbed.create(randomPort());
             PcapPacketSource source = source(tb.serverVeth(), "udp and dst port " + tb.listenPort())) {
            startIn(tb.serverNs(), source);
            Thread reader = readerThreads().get(0);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long before = threads.getThreadCpuTime(reader.getId());
            Thread.sleep(1000);
            long used = threads.getThreadCpuTime(reader.getId()) - before;
            assertTrue(used < TimeUnit.MILLISECONDS.toNanos(20), "idle reader used " + used / 1000 + " µs of CPU in 1 s");
        }
    }

    @Test
    void packetsTheFilterDoesNotMatchNeverAppear() throws Exception {
        int port = randomPort();
        try (Testbed tb = Testbed.create(port);
             PcapPacketSource source = source(tb.serverVeth(), "udp and dst port " + port)) {
            Testbed.Client client = tb.addClient();
            BlockingQueue<Arrival> arrivals = subscribe(source);
            startIn(tb.serverNs(), source);

            sendDatagram(client, port + 1, 4000);
            connectTcp(client, port);
            Arrival unexpected = arrivals.poll(1, TimeUnit.SECONDS);
            assertNull(unexpected, "a packet the filter excludes arrived");

            sendDatagram(client, port, 4001);
            Arrival arrival = arrivals.poll(1, TimeUnit.SECONDS);
            assertNotNull(arrival, "the matching datagram sent after them did not arrive");
            WireGuardPacket packet = assertInstanceOf(WireGuardPacket.class, arrival.event());
            assertEquals(4001, packet.sourcePort());
            assertEquals(port, packet.destinationPort());
            assertEquals(MessageType.TRANSPORT_DATA, packet.type());
            assertNull(arrivals.poll(200, TimeUnit.MILLISECONDS), "more than the one matching packet arrived");
        }
    }

    @Test
    void aFullCaptureBufferIsReportedAsLostPacketsAndReadingCarriesOn() throws Exception {
        int port = randomPort();
        try (Testbed tb = Testbed.create(port);
             PcapPacketSource source = source(tb.serverVeth(), "udp and dst port " + port)) {
            Testbed.Client client = tb.addClient();
            StallingSubscriber subscriber = new StallingSubscriber(source);
            startIn(tb.serverNs(), source);

            sendDatagrams(client, port, 1);
            subscriber.awaitFirstPacket();
            // the default 2 MiB ring holds a few thousand frames of SNAPLEN bytes
            sendDatagrams(client, port, 30_000);
            subscriber.release();

            subscriber.awaitLoss(Duration.ofSeconds(5), "no PacketsLost after the capture buffer overflowed");
            assertTrue(registry.get("wgmon.packets.lost").tag("source", "bpf").counter().count() >= 1);

            subscriber.clear();
            sendDatagram(client, port, 4002);
            boolean seenAfterLoss = subscriber.sees(event -> event instanceof WireGuardPacket packet
                    && packet.sourcePort() == 4002);
            assertTrue(seenAfterLoss, "the reader stopped after the loss");
            assertTrue(source.isReady());
        }
    }

    @Test
    void aMissingInterfaceIsNamedWithTheInterfacesThatExist() throws Exception {
        try (Testbed tb = Testbed.create(randomPort());
             PcapPacketSource source = source("nosuch" + tb.id(), "udp and dst port 3000")) {
            PacketSourceException e = assertThrows(PacketSourceException.class, () -> startIn(tb.serverNs(), source));
            Set<String> existing = new TreeSet<>(Arrays.asList(tb.sh(tb.serverNs(), "ls", "/sys/class/net").trim()
                    .split("\\s+")));
            assertTrue(existing.contains(tb.serverVeth()), existing.toString());
            String prefix = "capture interface 'nosuch" + tb.id() + "' does not exist in this network namespace;"
                    + " interfaces here: ";
            String suffix = "; set wgmon.bpf.interface";
            assertTrue(e.getMessage().startsWith(prefix) && e.getMessage().endsWith(suffix), e.getMessage());
            String listed = e.getMessage().substring(prefix.length(), e.getMessage().length() - suffix.length());
            assertEquals(existing, new TreeSet<>(Arrays.asList(listed.split(", "))), e.getMessage());
            assertNotStarted(tb, source);
        }
    }

    @Test
    void aFilterThatDoesNotCompileIsQuotedWithLibpcapsMessage() throws Exception {
        try (Testbed tb = Testbed.create(randomPort());
             PcapPacketSource source = source(tb.serverVeth(), "udp and dst port 3000 and")) {
            PacketSourceException e = assertThrows(PacketSourceException.class, () -> startIn(tb.serverNs(), source));
            assertTrue(e.getMessage().startsWith("wgmon.bpf.filter 'udp and dst port 3000 and' is not a valid pcap filter: "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("syntax error"), "libpcap's own words are missing: " + e.getMessage());
            assertNotStarted(tb, source);
        }
    }

    @Test
    void withoutCapNetRawStartSaysSoAndHowToGrantIt() throws Exception {
        try (Testbed tb = Testbed.create(randomPort());
             PcapPacketSource source = source(tb.serverVeth(), "udp and dst port 3000")) {
            PacketSourceException e = assertThrows(PacketSourceException.class, () -> NetNs.call(tb.serverNs(), () -> {
                ThreadCapabilities.dropEffective(CAP_NET_RAW);
                source.start();
                return null;
            }));
            assertTrue(e.getMessage().startsWith("capturing on '" + tb.serverVeth() + "' needs CAP_NET_RAW (run as root"
                    + " or grant it: podman/docker --cap-add NET_RAW"), e.getMessage());
            assertTrue(e.getMessage().contains("libpcap said: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertNotStarted(tb, source);
        }
    }

    @Test
    void withoutLibpcapStartNamesThePackagesToInstall() {
        PcapPacketSource source = new PcapPacketSource("eth0", "udp and dst port 3000", false, registry,
                Clock.systemUTC(), List.of("libpcap-wgmon-missing.so.9"));
        try (source) {
            PacketSourceException e = assertThrows(PacketSourceException.class, source::start);
            assertEquals("wgmon.monitor=bpf needs libpcap, which is not installed (tried libpcap-wgmon-missing.so.9):"
                    + " install it (Debian/Ubuntu: apt-get install libpcap0.8; Alpine: apk add libpcap;"
                    + " Fedora/RHEL: dnf install libpcap) or use wgmon.monitor=nflog", e.getMessage());
            assertFalse(source.isReady());
        }
    }

    private PcapPacketSource source(String interfaceName, String filter) {
        return new PcapPacketSource(interfaceName, filter, false, registry, Clock.systemUTC(), PcapPacketSource.LIBPCAP_NAMES);
    }

    private static void assertNotStarted(Testbed tb, PcapPacketSource source) {
        assertFalse(source.isReady());
        assertTrue(readerThreads().isEmpty(), "a reader thread was left behind");
        assertEquals(0, packetSockets(tb), "the failed start left a capture socket open");
    }

    /** Packet sockets open in the server namespace: /proc/net/packet has a heading and one line each. */
    private static long packetSockets(Testbed tb) {
        return tb.sh(tb.serverNs(), "cat", "/proc/net/packet").lines().skip(1).filter(line -> !line.isBlank()).count();
    }

    /** A TCP connection attempt to the WireGuard port: a SYN the server answers with a reset. */
    private static void connectTcp(Testbed.Client client, int port) throws Exception {
        NetNs.call(client.namespace(), () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("192.0.2.1", port), 500);
                fail("something listens on TCP port " + port);
            } catch (ConnectException | SocketTimeoutException expected) {
                // refused: the SYN went out
            }
            return null;
        });
    }

    private static List<Thread> readerThreads() {
        return LiveSourceSupport.readerThreads("wgmon-pcap-reader");
    }
}
