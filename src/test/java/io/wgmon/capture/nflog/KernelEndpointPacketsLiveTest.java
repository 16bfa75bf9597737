package io.wgmon.capture.nflog;

import io.wgmon.capture.EndpointPackets;
import io.wgmon.delivery.LogCapture;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.ThreadCapabilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the rules' per-endpoint packet sets from the real kernel's nf_tables, in a namespace of the test's. */
class KernelEndpointPacketsLiveTest {
    private static final int CAP_NET_ADMIN = 12;
    private static final Duration TOLERANCE = Duration.ofSeconds(1);
    /** The four sets as the rules declare them, a table of the test's own making. */
    private static final String SETS = """
            table inet wgmon {
              set seen4 { type ipv4_addr . inet_service; flags timeout; timeout 360s; }
              set seen6 { type ipv6_addr . inet_service; flags timeout; timeout 360s; }
              set sent4 { type ipv4_addr . inet_service; flags timeout; timeout 360s; }
              set sent6 { type ipv6_addr . inet_service; flags timeout; timeout 360s; }
            }
            """;

    private String namespace;

    @BeforeEach
    void namespace() {
        LivePrerequisites.require("ip", "nft");
        namespace = "wgm-seen-" + ThreadLocalRandom.current().nextInt(100000, 999999);
        Shell.run(List.of("ip", "netns", "add", namespace));
    }

    @AfterEach
    void removeNamespace() {
        Shell.quietly(List.of("ip", "netns", "delete", namespace));
    }

    private void nft(String script) {
        Shell.run(List.of("ip", "netns", "exec", namespace, "nft", "-f", "-"), script);
    }

    private void addElement(String set, String element) {
        nft("add element inet wgmon " + set + " { " + element + " }\n");
    }

    private static InetSocketAddress endpoint(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    private Map<InetSocketAddress, EndpointPackets> readIn(KernelEndpointPackets packets,
                                                          Collection<InetSocketAddress> endpoints) throws Exception {
        return NetNs.call(namespace, () -> packets.read(endpoints));
    }

    /** The inodes of the namespace's user netfilter netlink sockets (/proc/net/netlink: protocol 12, a port id). */
    private List<String> netfilterSockets() throws Exception {
        return NetNs.call(namespace, () -> Files.readAllLines(Path.of("/proc/thread-self/net/netlink")).stream()
                .skip(1).map(line -> line.trim().split("\\s+"))
                .filter(columns -> columns[1].equals("12") && !columns[2].equals("0")).map(columns -> columns[9])
                .toList());
    }

    private static void assertNear(Instant expected, Instant actual, String what) {
        assertNotNull(actual, what + ": no time");
        assertTrue(Duration.between(expected, actual).abs().compareTo(TOLERANCE) <= 0,
                what + ": expected about " + expected + ", read " + actual);
    }

    @Test
    void eachElementGivesItsLastPacketAndAnAbsentOneNothing() throws Exception {
        nft(SETS);
        Instant added = Instant.now();
        addElement("seen4", "192.0.2.9 . 40001 timeout 360s expires 350s");
        addElement("sent4", "192.0.2.9 . 40001 timeout 360s expires 340s");
        addElement("seen4", "192.0.2.11 . 40003 expires 300s");
        addElement("seen6", "2001:db8::9 . 40001 timeout 360s expires 350s");
        addElement("sent6", "2001:db8::9 . 40001 timeout 100s expires 70s");
        KernelEndpointPackets packets = new KernelEndpointPackets(Clock.systemUTC());
        InetSocketAddress ipv4 = endpoint("192.0.2.9", 40001);
        InetSocketAddress inOnly = endpoint("192.0.2.11", 40003);
        InetSocketAddress absent = endpoint("192.0.2.10", 40002);
        InetSocketAddress otherPort = endpoint("192.0.2.9", 40002);
        InetSocketAddress ipv6 = endpoint("2001:db8::9", 40001);

        List<String> socketsBefore = null;
        for (int read = 0; read < 2; read++) {
            Map<InetSocketAddress, EndpointPackets> times = readIn(packets,
                    List.of(ipv4, inOnly, absent, otherPort, ipv6));

            assertEquals(3, times.size(), times.toString());
            assertNear(added.minusSeconds(10), times.get(ipv4).lastIn(), "seen4 " + ipv4);
            assertNear(added.minusSeconds(20), times.get(ipv4).lastOut(), "sent4 " + ipv4);
            assertNear(added.minusSeconds(60), times.get(inOnly).lastIn(), "seen4 " + inOnly);
            assertNull(times.get(inOnly).lastOut(), "no element in sent4");
            assertFalse(times.containsKey(absent) || times.containsKey(otherPort), times.toString());
            assertNear(added.minusSeconds(10), times.get(ipv6).lastIn(), "seen6 " + ipv6);
            assertNear(added.minusSeconds(30), times.get(ipv6).lastOut(), "sent6 " + ipv6 + ", a timeout of its own");
            List<String> sockets = netfilterSockets();
            assertEquals(1, sockets.size(), "one socket kept open: " + sockets);
            assertEquals(socketsBefore == null ? sockets : socketsBefore, sockets, "the same socket for both reads");
            socketsBefore = sockets;
        }
    }

    @Test
    void manyEndpointsAreReadByDumpsWithTheAnswersOfSingleGets() throws Exception {
        nft(SETS);
        List<InetSocketAddress> asked = new ArrayList<>();
        StringBuilder elements = new StringBuilder();
        int withTimes = 0;
        for (int i = 0; i < 40; i++) {
            boolean ipv6 = i % 2 == 0;
            InetSocketAddress endpoint = endpoint(ipv6 ? "2001:db8::" + (i + 1) : "198.51.100." + (i + 1), 50000 + i);
            asked.add(endpoint);
            String element = endpoint.getAddress().getHostAddress() + " . " + endpoint.getPort();
            if (i % 5 != 0) {
                elements.append("add element inet wgmon ").append(ipv6 ? "seen6" : "seen4").append(" { ")
                        .append(element).append(" expires ").append(300 + i).append("s }\n");
            }
            if (i % 3 != 0) {
                elements.append("add element inet wgmon ").append(ipv6 ? "sent6" : "sent4").append(" { ")
                        .append(element).append(" expires ").append(200 + i).append("s }\n");
            }
            withTimes += i % 5 != 0 || i % 3 != 0 ? 1 : 0;
        }
        // in the sets, not asked: enough for the dump of seen4 to take many datagrams
        elements.append("add element inet wgmon seen4 { 203.0.113.1 . 1 }\n");
        for (int i = 0; i < 3000; i++) {
            elements.append("add element inet wgmon seen4 { 10.0.").append(i / 250).append('.').append(i % 250 + 1)
                    .append(" . 1 }\n");
        }
        nft(elements.toString());
        assertTrue(asked.size() / 2 > KernelEndpointPackets.MOST_GETS, "more endpoints of each family than gets serve");

        KernelEndpointPackets packets = new KernelEndpointPackets(Clock.systemUTC());
        Map<InetSocketAddress, EndpointPackets> dumped = readIn(packets, asked);
        for (InetSocketAddress endpoint : asked) {
            Map<InetSocketAddress, EndpointPackets> single = readIn(packets, List.of(endpoint));
            int i = asked.indexOf(endpoint);
            assertEquals(i % 5 != 0 || i % 3 != 0, single.containsKey(endpoint), endpoint + " " + single);
            assertEquals(single.containsKey(endpoint), dumped.containsKey(endpoint), endpoint + " " + dumped);
            if (single.containsKey(endpoint)) {
                assertSameTime(single.get(endpoint).lastIn(), dumped.get(endpoint).lastIn(), "in, " + endpoint);
                assertSameTime(single.get(endpoint).lastOut(), dumped.get(endpoint).lastOut(), "out, " + endpoint);
            }
        }
        assertEquals(withTimes, dumped.size(), dumped.toString());
    }

    /** Both null, or both the same time but for scheduling between the clock and the reply (a loaded machine: up to the read timeout). */
    private static void assertSameTime(Instant single, Instant dumped, String what) {
        assertEquals(single == null, dumped == null, what + ": " + single + " by a get, " + dumped + " by a dump");
        if (single != null) {
            assertTrue(Duration.between(single, dumped).abs().toMillis() <= 500,
                    what + ": " + single + " by a get, " + dumped + " by a dump");
        }
    }

    @Test
    void withoutTheTableThereAreNoTimesAndOneInfo() throws Exception {
        try (LogCapture log = LogCapture.warningsOf(KernelEndpointPackets.class)) {
            KernelEndpointPackets packets = new KernelEndpointPackets(Clock.systemUTC());
            List<InetSocketAddress> many = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                many.add(endpoint("198.51.100." + (i + 1), 50000 + i));
            }
            assertEquals(Map.of(), readIn(packets, List.of(endpoint("192.0.2.9", 40001), endpoint("2001:db8::9", 1))));
            assertEquals(Map.of(), readIn(packets, many));

            assertEquals(List.of(), log.warnings());
            assertEquals(1, log.infos().size(), log.infos().toString());
            assertTrue(log.infos().get(0).startsWith("No nft set inet wgmon seen4 with a timeout"), log.infos().get(0));
        }
    }

    @Test
    void aSetOfAnotherTypeIsOneWarningAndNoTimes() throws Exception {
        nft("""
                table inet wgmon {
                  set seen4 { type ipv4_addr; flags timeout; timeout 360s; elements = { 192.0.2.9 } }
                }
                """);
        try (LogCapture log = LogCapture.warningsOf(KernelEndpointPackets.class)) {
            KernelEndpointPackets packets = new KernelEndpointPackets(Clock.systemUTC());
            List<InetSocketAddress> many = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                many.add(endpoint("192.0.2." + (i + 1), 40001));
            }
            assertEquals(Map.of(), readIn(packets, many), "by a dump");
            assertEquals(Map.of(), readIn(packets, List.of(endpoint("192.0.2.9", 40001))), "by a get");

            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).contains("key has 4 bytes"), log.warnings().get(0));
        }
    }

    @Test
    void aRulesUpdateRefreshesTheElementWithEachPacket() throws Exception {
        nft(SETS + """
                table inet wgmon {
                  chain input {
                    type filter hook input priority 0;
                    udp dport 40000 update @seen4 { ip saddr . udp sport }
                    udp dport 40000 update @seen6 { ip6 saddr . udp sport }
                  }
                  chain output {
                    type filter hook output priority 0;
                    udp sport 40000 update @sent4 { ip daddr . udp dport }
                  }
                }
                """);
        Shell.run(List.of("ip", "-n", namespace, "link", "set", "lo", "up"));
        KernelEndpointPackets packets = new KernelEndpointPackets(Clock.systemUTC());
        int port = ThreadLocalRandom.current().nextInt(41000, 60000);
        InetSocketAddress peer4 = endpoint("127.0.0.1", port);
        InetSocketAddress peer6 = endpoint("::1", port);
        assertEquals(Map.of(), readIn(packets, List.of(peer4, peer6)), "no packet yet");

        Instant sent = Instant.now();
        NetNs.call(namespace, () -> {
            try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("::", port));
                 DatagramSocket wireGuard = new DatagramSocket(new InetSocketAddress("::", 40000))) {
                peer.send(new DatagramPacket(new byte[4], 4, endpoint("127.0.0.1", 40000)));
                peer.send(new DatagramPacket(new byte[4], 4, endpoint("::1", 40000)));
                wireGuard.send(new DatagramPacket(new byte[4], 4, peer4));
            }
            return null;
        });
        Map<InetSocketAddress, EndpointPackets> times = readIn(packets, List.of(peer4, peer6));

        assertNear(sent, times.get(peer4).lastIn(), "seen4, by the input rule");
        assertNear(sent, times.get(peer4).lastOut(), "sent4, by the output rule");
        assertNear(sent, times.get(peer6).lastIn(), "seen6, by the input rule");
        assertNull(times.get(peer6).lastOut(), "nothing was sent to " + peer6);
    }

    @Test
    void aRefusedReadIsOneWarningAndTheNextAllowedReadSucceeds() throws Exception {
        nft(SETS);
        addElement("seen4", "192.0.2.9 . 40001 expires 350s");
        InetSocketAddress endpoint = endpoint("192.0.2.9", 40001);
        try (LogCapture log = LogCapture.warningsOf(KernelEndpointPackets.class)) {
            KernelEndpointPackets packets = new KernelEndpointPackets(Clock.systemUTC());
            assertEquals(1, readIn(packets, List.of(endpoint)).size(), "read before the refusals");
            List<String> socketBefore = netfilterSockets();
            for (int i = 0; i < 3; i++) {
                Map<InetSocketAddress, EndpointPackets> refused = NetNs.call(namespace, () -> {
                    ThreadCapabilities.dropEffective(CAP_NET_ADMIN);
                    return packets.read(List.of(endpoint));
                });
                assertEquals(Map.of(), refused);
            }
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).startsWith("Cannot read the nft rules' packet times (table inet wgmon, "
                    + "sets seen4, seen6, sent4 and sent6): "), log.warnings().get(0));

            // the refused reads closed their socket: the next read, allowed again, opens another
            assertEquals(List.of(), netfilterSockets(), "the refused reads' sockets are closed");
            assertEquals(1, readIn(packets, List.of(endpoint)).size(), "read after the refusals");
            List<String> socketAfter = netfilterSockets();
            assertEquals(1, socketAfter.size(), socketAfter.toString());
            assertFalse(socketAfter.equals(socketBefore), "another socket: " + socketBefore + ", " + socketAfter);
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertEquals(List.of(), log.infos());
        }
    }
    /** A clock the test moves: the set timeouts a read keeps age with it. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.now();

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void rulesLoadedAgainWithAnotherTimeoutAreReadRightWithinAMinute() throws Exception {
        nft(SETS);
        MovableClock clock = new MovableClock();
        KernelEndpointPackets packets = new KernelEndpointPackets(clock);
        InetSocketAddress ipv4 = endpoint("192.0.2.9", 40001);
        addElement("seen4", "192.0.2.9 . 40001 expires 350s");
        assertNear(clock.instant().minusSeconds(10), readIn(packets, List.of(ipv4)).get(ipv4).lastIn(), "360 s set");

        nft("delete table inet wgmon\n" + SETS.replace("360s", "120s"));
        addElement("seen4", "192.0.2.9 . 40001 expires 110s");
        clock.now = clock.now.plus(KernelEndpointPackets.SET_TIMEOUT_KEPT);
        assertNear(clock.instant().minusSeconds(10), readIn(packets, List.of(ipv4)).get(ipv4).lastIn(),
                "the 120 s set, its timeout read again");
    }
}
