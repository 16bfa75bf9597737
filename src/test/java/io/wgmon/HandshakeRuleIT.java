package io.wgmon;

import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented nft rules (handshakes and each session's first data packet, none from a known endpoint) against
 * real wireguard-go and the packaged monitor: connect, a rekey without a scan, a roam and an idle disconnect;
 * rekeys from a known endpoint log nothing and a come-back after an idle disconnect is logged; and the old
 * all-packets rule: it still works, and wgmon says once that it costs CPU for nothing.
 */
class HandshakeRuleIT {
    private static final Duration IDLE = Duration.ofSeconds(6);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final String ALL_PACKETS_WARNING = "delivers every WireGuard data packet";
    private static final String TIMEOUT_WARNING = "longer than wgmon.tracking.idle-timeout";

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft", "ping");
    }

    private static Map<String, String> env(Testbed testbed, WebhookReceiver receiver, int group, Duration idle) {
        return Map.of(
                "WGMON_NFLOG_GROUP", String.valueOf(group),
                "WGMON_WIREGUARD_INTERFACES", testbed.serverInterface(),
                "WGMON_TRACKING_IDLE_TIMEOUT", idle.toSeconds() + "s",
                "WGMON_TRACKING_TICK", TICK.toSeconds() + "s",
                "WGMON_TRACKING_REPORT_ROAMING", "true",
                "WGMON_WEBHOOK_URL", receiver.url("/hook").toString());
    }

    /** The rules to load in the server's namespace for an NFLOG group. */
    @FunctionalInterface
    private interface Rules {
        void load(Testbed testbed, int group);
    }

    /** What a test does once the monitor is ready, with the clients added before it started. */
    @FunctionalInterface
    private interface Scenario {
        void run(Testbed testbed, WebhookReceiver receiver, MonitorProcess monitor, List<Testbed.Client> clients)
                throws Exception;
    }

    /**
     * A bed with {@code rules} on a random NFLOG group, {@code clients} clients, and the packaged monitor with
     * idle-timeout {@code idle}, ready; its log is printed when the scenario fails.
     */
    private static void withMonitor(Duration idle, Rules rules, int clients, Scenario scenario) throws Exception {
        Path log = Files.createTempFile("wgmon-rule-", ".log");
        try (Testbed testbed = Testbed.create(3000);
             WebhookReceiver receiver = WebhookReceiver.startIn(testbed.serverNs())) {
            int group = ThreadLocalRandom.current().nextInt(100, 60000);
            rules.load(testbed, group);
            List<Testbed.Client> added = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                added.add(testbed.addClient());
            }
            try (MonitorProcess monitor = MonitorProcess.start(testbed.serverNs(), env(testbed, receiver, group, idle),
                    log)) {
                monitor.awaitReady(Duration.ofSeconds(60));
                try {
                    scenario.run(testbed, receiver, monitor, added);
                } catch (AssertionError | RuntimeException e) {
                    System.err.println("---- wgmon log ----\n" + monitor.log());
                    throw e;
                }
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The client's endpoint as nft lists it in a set: address . port. */
    private static String endpointOf(Testbed testbed, Testbed.Client client) {
        return client.address() + " . " + testbed.sh(client.namespace(), "wg", "show", client.interfaceName(),
                "listen-port").trim();
    }

    @Test
    void theDocumentedRuleDeliversConnectRekeyWithoutAScanRoamAndIdleDisconnect() throws Exception {
        withMonitor(IDLE, (testbed, group) -> testbed.logToNflog(group, IDLE), 1,
                (testbed, receiver, monitor, clients) -> documentedRule(testbed, receiver, monitor, clients.get(0)));
    }

    private void documentedRule(Testbed testbed, WebhookReceiver receiver, MonitorProcess monitor,
                                Testbed.Client alice) throws Exception {
        Instant pinged = Instant.now();
        testbed.ping(alice);
        Delivery connected = receiver.await(d -> d.is("peer.connected", alice.publicKey()), Duration.ofSeconds(5));
        assertNotNull(connected, "no peer.connected with the handshake-only rule");
        System.out.println("RULE: ping -> peer.connected received " + Duration.between(pinged, connected.receivedAt()).toMillis()
                + " ms");
        Thread.sleep(500);

        String handshakeBefore = latestHandshake(testbed);
        double scansBefore = monitor.metric("wgmon_scans_seconds_count");
        testbed.renewSession(alice);
        Thread.sleep(1100); // a new handshake time differs in its second
        testbed.ping(alice);
        Thread.sleep(1000);
        String handshakeAfter = latestHandshake(testbed);
        double rekeyScans = monitor.metric("wgmon_scans_seconds_count") - scansBefore;
        System.out.println("RULE: rekey: server's latest handshake " + handshakeBefore + " -> " + handshakeAfter
                + "; scans during it: " + rekeyScans);
        assertNotEquals(handshakeBefore, handshakeAfter, "the session was not renewed: no rekey to test");
        assertEquals(0.0, rekeyScans, "a rekey from a connected peer's endpoint is activity, not a scan");

        testbed.sh(alice.namespace(), "wg", "set", alice.interfaceName(), "listen-port", "47123");
        Instant moved = Instant.now();
        testbed.ping(alice);
        Delivery roamed = receiver.await(d -> d.is("peer.roamed", alice.publicKey()),
                IDLE.plus(TICK.multipliedBy(3)).plusSeconds(5));
        assertNotNull(roamed, "no peer.roamed after the client's source port changed");
        assertTrue(roamed.json().get("peer").get("endpoint").asText().endsWith(":47123"), roamed.json().toString());
        System.out.println("RULE: source port changed -> peer.roamed received "
                + Duration.between(moved, roamed.receivedAt()).toMillis() + " ms (found by the deadline scan)");

        testbed.stopClient(alice);
        Instant stopped = Instant.now();
        Duration bound = IDLE.plus(TICK.multipliedBy(2));
        Delivery idle = receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), bound.plusSeconds(5));
        assertNotNull(idle, "no idle disconnect");
        assertEquals("idle", idle.json().get("reason").asText());
        Duration idleLatency = Duration.between(stopped, idle.receivedAt());
        System.out.println("RULE: client stopped -> peer.disconnected (idle) received " + idleLatency.toMillis()
                + " ms (idle-timeout " + IDLE.toMillis() + " ms, tick " + TICK.toMillis() + " ms)");
        assertTrue(idleLatency.compareTo(bound) <= 0, "idle disconnect took " + idleLatency + ", bound " + bound);
        assertEquals(0, occurrences(monitor.log(), ALL_PACKETS_WARNING), "no warning with the documented rule");
        System.out.println("RULE: scans by the end: " + monitor.metric("wgmon_scans_seconds_count"));
    }

    /**
     * A session's first data packet dropped after the rules saw it (a second input chain at priority 10, as a full
     * socket receive buffer drops it): WireGuard records the handshake at the client's next data packet (counter 1,
     * which no rule logs), and wgmon misses it. The endpoint must not have become known on the way: the client's
     * next handshake from it is logged and the connect reported. Under rules that made an endpoint known at the
     * counter-0 packet, each response the server sends kept it known and that handshake was not logged either.
     */
    @Test
    void aFirstDataPacketLostAfterTheRulesLeavesTheEndpointUnknownSoTheNextHandshakeIsLogged() throws Exception {
        Duration idle = Duration.ofSeconds(60);
        withMonitor(idle, (testbed, group) -> testbed.logToNflog(group, idle), 1,
                (testbed, receiver, monitor, clients) -> firstPacketLost(testbed, receiver, clients.get(0)));
    }

    private void firstPacketLost(Testbed testbed, WebhookReceiver receiver, Testbed.Client alice) throws Exception {
        String endpoint = endpointOf(testbed, alice);
        Shell.run(List.of("ip", "netns", "exec", testbed.serverNs(), "nft", "-f", "-"), """
                table inet first_packet_drop {
                  set seen { type ipv4_addr . inet_service; }
                  chain input {
                    type filter hook input priority 10;
                    udp dport 3000 udp length >= 40 @th,64,32 0x04000000 @th,128,64 0 ip saddr . udp sport != @seen \
                      add @seen { ip saddr . udp sport } drop
                  }
                }
                """);
        testbed.sh(alice.namespace(), "sh", "-c", "ping -c 1 -W 1 10.10.10.1 || true");
        Thread.sleep(2500);
        testbed.ping(alice);
        String handshake = latestHandshake(testbed);
        assertFalse(handshake.trim().endsWith("\t0"), "the second ping made the server record the handshake: "
                + handshake);
        boolean missed = receiver.await(d -> d.is("peer.connected", alice.publicKey()), Duration.ofSeconds(2)) == null;
        System.out.println("RULE: first data packet dropped, second ping -> server's handshake " + handshake.trim()
                + "; peer.connected " + (missed ? "not reported (no rule logs counter 1)" : "reported")
                + "; known4: " + testbed.nftSet("known4").replaceAll("\\s+", " "));
        assertFalse(testbed.nftSet("known4").contains(endpoint), "no scan saw the peer connected, so " + endpoint
                + " is not known: " + testbed.nftSet("known4"));

        Instant renewed = Instant.now();
        testbed.renewSession(alice);
        testbed.ping(alice);
        Delivery connected = receiver.await(d -> d.is("peer.connected", alice.publicKey()), Duration.ofSeconds(5));
        assertNotNull(connected, "the next handshake from " + endpoint + " was not logged: the endpoint was known");
        System.out.println("RULE: next handshake from the same endpoint -> peer.connected "
                + Duration.between(renewed, connected.receivedAt()).toMillis() + " ms after the renewal");
        assertKnownSoon(testbed, endpoint, "the connect made " + endpoint + " known (wgmon added it)");
    }

    /**
     * The known-endpoint sets with a timeout of idle-timeout: a connected peer's rekeys from its endpoint log
     * nothing, and the same peer coming back from the same endpoint after wgmon reported it gone is logged again.
     */
    @Test
    void rekeysFromAKnownEndpointLogNothingAndAComeBackAfterGoneIsLogged() throws Exception {
        withMonitor(IDLE, (testbed, group) -> testbed.logToNflog(group, IDLE), 1,
                (testbed, receiver, monitor, clients) -> knownEndpoints(testbed, receiver, monitor, clients.get(0)));
    }

    private void knownEndpoints(Testbed testbed, WebhookReceiver receiver, MonitorProcess monitor,
                                Testbed.Client alice) throws Exception {
        String endpoint = endpointOf(testbed, alice);
        testbed.ping(alice);
        assertNotNull(receiver.await(d -> d.is("peer.connected", alice.publicKey()), Duration.ofSeconds(5)),
                "no peer.connected");
        assertKnownSoon(testbed, endpoint, "the connect made " + endpoint + " known (wgmon added it)");
        Thread.sleep(500);

        double packetsBefore = monitor.metric("wgmon_packets_total");
        double scansBefore = monitor.metric("wgmon_scans_seconds_count");
        String handshakeBefore = latestHandshake(testbed);
        for (int rekey = 0; rekey < 2; rekey++) {
            testbed.renewSession(alice);
            Thread.sleep(1100); // a new handshake time differs in its second
            testbed.ping(alice);
        }
        Thread.sleep(1000);
        String handshakeAfter = latestHandshake(testbed);
        double rekeyPackets = monitor.metric("wgmon_packets_total") - packetsBefore;
        double rekeyScans = monitor.metric("wgmon_scans_seconds_count") - scansBefore;
        System.out.println("RULE: two rekeys from the known endpoint: server's latest handshake " + handshakeBefore
                + " -> " + handshakeAfter + "; packets logged " + rekeyPackets + ", scans " + rekeyScans);
        assertNotEquals(handshakeBefore, handshakeAfter, "the session was not renewed: no rekey to test");
        assertEquals(0.0, rekeyPackets, "a known endpoint's rekeys stay in the kernel");
        assertEquals(0.0, rekeyScans, "and cause no scan");

        Instant lastPing = Instant.now();
        Delivery gone = receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), IDLE.plusSeconds(20));
        assertNotNull(gone, "no idle disconnect");
        assertEquals("idle", gone.json().get("reason").asText());
        System.out.println("RULE: idle -> peer.disconnected " + Duration.between(lastPing, gone.receivedAt()).toMillis()
                + " ms after the last ping; known4 then: " + testbed.nftSet("known4").replaceAll("\\s+", " "));

        testbed.renewSession(alice);
        Instant back = Instant.now();
        testbed.ping(alice);
        Delivery again = receiver.await(d -> d.is("peer.connected", alice.publicKey()) && d.receivedAt().isAfter(back),
                Duration.ofSeconds(5));
        assertNotNull(again, "the same peer back from the same endpoint " + endpoint
                + " after its disconnect was not delivered: its endpoint was still known");
        System.out.println("RULE: back from " + endpoint + " -> peer.connected "
                + Duration.between(back, again.receivedAt()).toMillis() + " ms");
        assertEquals(0, occurrences(monitor.log(), "no packet from it reached"), "no missing-rule WARN");
        assertEquals(0, occurrences(monitor.log(), TIMEOUT_WARNING), "the rules' timeout is idle-timeout: no WARN");
    }

    /**
     * A peer removed from the server while its endpoint is known (the sets' timeout is a long idle-timeout here),
     * then configured again and handshaking from the same endpoint: wgmon flushed the known endpoints when it
     * reported the removal, so the comeback is logged and delivered at once.
     */
    @Test
    void aPeerRemovedAndAddedBackIsLoggedAgainFromTheSameEndpoint() throws Exception {
        Duration idle = Duration.ofSeconds(120);
        withMonitor(idle, (testbed, group) -> testbed.logToNflog(group, idle), 2,
                (testbed, receiver, monitor, clients) -> removedAndBack(testbed, receiver, monitor, clients.get(0),
                        clients.get(1)));
    }

    /** wgmon adds the endpoint after the scan's publishing, so it may land just after the delivery. */
    private static void assertKnownSoon(Testbed testbed, String endpoint, String message) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!testbed.nftSet("known4").contains(endpoint) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(testbed.nftSet("known4").contains(endpoint), message + ": " + testbed.nftSet("known4"));
    }

    private void removedAndBack(Testbed testbed, WebhookReceiver receiver, MonitorProcess monitor, Testbed.Client alice,
                                Testbed.Client bob) throws Exception {
        String endpoint = endpointOf(testbed, alice);
        testbed.ping(alice);
        assertNotNull(receiver.await(d -> d.is("peer.connected", alice.publicKey()), Duration.ofSeconds(5)),
                "no peer.connected");
        assertKnownSoon(testbed, endpoint, "the connect made " + endpoint + " known (wgmon added it)");

        // the removal is found by the next scan: bob's connect asks for one
        testbed.removePeer(alice);
        testbed.ping(bob);
        Delivery removed = receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), Duration.ofSeconds(10));
        assertNotNull(removed, "no peer.disconnected for the removed peer");
        assertEquals("removed", removed.json().get("reason").asText());
        // the flush follows the scan's publishing, so it may land just after the delivery
        long flushDeadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (testbed.nftSet("known4").contains(endpoint) && System.nanoTime() < flushDeadline) {
            Thread.sleep(50);
        }
        String afterRemoval = testbed.nftSet("known4").replaceAll("\\s+", " ");
        System.out.println("RULE: peer removed -> peer.disconnected (removed); known4 then: " + afterRemoval);
        assertFalse(afterRemoval.contains(endpoint), "the removal flushed the known endpoints: " + afterRemoval);

        testbed.addPeerBack(alice);
        testbed.renewSession(alice);
        Instant back = Instant.now();
        testbed.ping(alice);
        Delivery again = receiver.await(d -> d.is("peer.connected", alice.publicKey()) && d.receivedAt().isAfter(back),
                Duration.ofSeconds(5));
        assertNotNull(again, "the peer added back, handshaking from the same endpoint " + endpoint
                + ", was not delivered: its endpoint was still known");
        System.out.println("RULE: added back, from " + endpoint + " -> peer.connected "
                + Duration.between(back, again.receivedAt()).toMillis() + " ms; known4 then: "
                + testbed.nftSet("known4").replaceAll("\\s+", " "));
        assertKnownSoon(testbed, endpoint, "the comeback made " + endpoint + " known again");
        assertEquals(0, occurrences(monitor.log(), "Cannot flush"), "the flush worked: no WARN");
        assertEquals(0, occurrences(monitor.log(), "Cannot add"), "the adds worked: no WARN");
        assertEquals(0, occurrences(monitor.log(), "no packet from it reached"), "no missing-rule WARN");
    }

    @Test
    void aKnownEndpointTimeoutLongerThanIdleTimeoutIsSaidAtStart() throws Exception {
        withMonitor(IDLE, (testbed, group) -> testbed.loadRuleset(group, "120s"), 0,
                (testbed, receiver, monitor, clients) -> {
                    String text = monitor.log();
                    System.out.println("RULE: known endpoints for 120s, idle-timeout " + IDLE.toSeconds() + "s: "
                            + text.lines().filter(l -> l.contains(TIMEOUT_WARNING)).findFirst().orElse("no WARN"));
                    assertEquals(1, occurrences(text, TIMEOUT_WARNING + " (" + IDLE.toSeconds() + "s)"), text);
                    assertTrue(text.contains("known for 120s (set inet wgmon known4)"), text);
                });
    }

    @Test
    void anAllPacketsRuleStillWorksAndIsWarnedAboutOnce() throws Exception {
        withMonitor(IDLE, (testbed, group) -> testbed.logEveryPacketToNflog(group), 1,
                (testbed, receiver, monitor, clients) -> {
                    Testbed.Client alice = clients.get(0);
                    testbed.ping(alice);
                    assertNotNull(receiver.await(d -> d.is("peer.connected", alice.publicKey()), Duration.ofSeconds(5)),
                            "no peer.connected with the all-packets rule");
                    testbed.sh(alice.namespace(), "ping", "-q", "-c", "300", "-i", "0.005", "10.10.10.1");
                    Thread.sleep(500);
                    int warnings = occurrences(monitor.log(), ALL_PACKETS_WARNING);
                    System.out.println("RULE: all-packets rule, 300 pings after the connect: warnings " + warnings);
                    assertEquals(1, warnings, "the all-packets rule is warned about exactly once");
                    assertTrue(monitor.log().contains("deploy/wgmon.nft for port 3000"),
                            "the warning gives the rule to use");
                });
    }

    private static String latestHandshake(Testbed testbed) {
        return testbed.sh(testbed.serverNs(), "wg", "show", testbed.serverInterface(), "latest-handshakes").trim();
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
