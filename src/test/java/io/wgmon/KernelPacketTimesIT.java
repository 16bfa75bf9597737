package io.wgmon;

import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented rules' seen and sent sets against the real kernel (docs/architecture.md#deadlines), with
 * wireguard-go in network namespaces and the packaged monitor: traffic both ways moves deadlines without dumps and
 * its end is reported within idle-timeout plus a tick; a removed peer whose client goes on sending is found at its
 * deadline; a client that only sends keepalives stays connected, confirmed by dumps.
 */
class KernelPacketTimesIT {
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration TRAFFIC = Duration.ofSeconds(16);

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft", "ping");
    }

    @Test
    void deadlinesFollowTheKernelsPacketTimes() throws Exception {
        Path log = Files.createTempFile("wgmon-seen-", ".log");
        try (Testbed testbed = Testbed.create(3000);
             WebhookReceiver receiver = WebhookReceiver.startIn(testbed.serverNs())) {
            int group = ThreadLocalRandom.current().nextInt(100, 60000);
            testbed.logToNflog(group, IDLE);
            Testbed.Client alice = testbed.addClient();
            Testbed.Client bob = testbed.addClient();
            Testbed.Client carol = testbed.addClient();
            Map<String, String> env = Map.of(
                    "WGMON_NFLOG_GROUP", String.valueOf(group),
                    "WGMON_WIREGUARD_INTERFACES", testbed.serverInterface(),
                    "WGMON_TRACKING_IDLE_TIMEOUT", IDLE.toSeconds() + "s",
                    "WGMON_TRACKING_TICK", TICK.toSeconds() + "s",
                    "WGMON_WEBHOOK_URL", receiver.url("/hook").toString());
            try (MonitorProcess monitor = MonitorProcess.start(testbed.serverNs(), env, log)) {
                monitor.awaitReady(Duration.ofSeconds(60));
                try {
                    run(testbed, receiver, monitor, alice, bob, carol);
                } catch (AssertionError | RuntimeException e) {
                    System.err.println("---- wgmon log ----\n" + monitor.log());
                    System.err.println("---- seen4 ----\n" + testbed.nftSet("seen4") + "\n---- sent4 ----\n"
                            + testbed.nftSet("sent4"));
                    throw e;
                }
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private void run(Testbed testbed, WebhookReceiver receiver, MonitorProcess monitor, Testbed.Client alice,
                     Testbed.Client bob, Testbed.Client carol) throws Exception {
        for (Testbed.Client client : new Testbed.Client[] {alice, bob, carol}) {
            testbed.ping(client);
            assertNotNull(receiver.await(d -> d.is("peer.connected", client.publicKey()), Duration.ofSeconds(5)),
                    "no peer.connected for client " + client.number());
        }
        testbed.keepAlive(carol, 1);

        // alice and bob ping every 0.2 s (traffic both ways), carol only sends keepalives
        double deadlineScansBefore = deadlineScans(monitor);
        Process alicePings = testbed.pingFor(alice, TRAFFIC);
        Process bobPings = testbed.pingFor(bob, TRAFFIC.plus(IDLE).plus(TICK.multipliedBy(4)));
        Thread.sleep(TRAFFIC.toMillis() / 2);

        // bob is removed while his client goes on pinging: only a dump finds that, at his deadline
        testbed.removePeer(bob);
        Instant removed = Instant.now();
        Duration removalBound = IDLE.plus(TICK.multipliedBy(2));
        Delivery bobGone = receiver.await(d -> d.is("peer.disconnected", bob.publicKey()), removalBound.plusSeconds(5));
        assertNotNull(bobGone, "no peer.disconnected for removed bob");
        assertEquals("removed", bobGone.json().get("reason").asText());
        Duration removalLatency = Duration.between(removed, bobGone.receivedAt());
        System.out.println("SEEN: bob removed while pinging -> peer.disconnected (removed) received "
                + removalLatency.toMillis() + " ms (bound " + removalBound.toMillis() + " ms)");
        assertTrue(removalLatency.compareTo(removalBound) <= 0, "removal found after " + removalLatency);

        alicePings.waitFor();
        Instant aliceLast = Instant.now();
        double settled = monitor.metric("wgmon_deadlines_settled_total");
        double deadlineScans = deadlineScans(monitor) - deadlineScansBefore;
        System.out.println("SEEN: " + TRAFFIC.toSeconds() + " s of pings both ways (idle-timeout " + IDLE.toSeconds()
                + " s): deadlines settled by the kernel's times " + settled + ", deadline dumps " + deadlineScans
                + " (bob's removal and carol's keepalives among them)");
        assertTrue(settled >= 2, "alice's deadlines moved by the kernel's times: " + settled);

        Duration idleBound = IDLE.plus(TICK.multipliedBy(2));
        Delivery aliceIdle = receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), idleBound.plusSeconds(5));
        assertNotNull(aliceIdle, "no idle disconnect for alice");
        assertEquals("idle", aliceIdle.json().get("reason").asText());
        Duration idleLatency = Duration.between(aliceLast, aliceIdle.receivedAt());
        System.out.println("SEEN: alice's last ping -> peer.disconnected (idle) received " + idleLatency.toMillis()
                + " ms (bound " + idleBound.toMillis() + " ms)");
        assertTrue(idleLatency.compareTo(IDLE.minus(TICK)) >= 0 && idleLatency.compareTo(idleBound) <= 0,
                "alice reported idle " + idleLatency + " after her last ping");

        assertNull(receiver.all().stream().filter(d -> d.is("peer.disconnected", carol.publicKey())).findFirst()
                .orElse(null), "carol's keepalives keep her connected");
        assertTrue(deadlineScans(monitor) - deadlineScansBefore >= 2, "carol's deadlines are confirmed by dumps");
        bobPings.destroy();
    }

    private static double deadlineScans(MonitorProcess monitor) throws Exception {
        for (String line : monitor.getManagement("/q/metrics").body().split("\n")) {
            if (line.startsWith("wgmon_scans_seconds_count{") && line.contains("cause=\"deadline\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("no deadline scans series in /q/metrics");
    }
}
