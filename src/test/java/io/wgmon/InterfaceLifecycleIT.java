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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interface lifecycle as events, live: the packaged wgmon watches a wireguard-go server with a
 * long idle timeout and tick; the server's daemon is killed, and the disconnect arrives within
 * about a second (rtnetlink saw its tun link go), not after the idle timeout. A new daemon with
 * the same configuration, and the client's next packets, bring the connect back.
 */
class InterfaceLifecycleIT {
    private static final Duration IDLE = Duration.ofSeconds(60);
    private static final Duration TICK = Duration.ofSeconds(30);

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft", "ping");
    }

    @Test
    void aKilledDaemonDisconnectsItsPeersAtOnceAndARestartConnectsThemAgain() throws Exception {
        Path log = Files.createTempFile("wgmon-lifecycle-", ".log");
        try (Testbed testbed = Testbed.create(3300);
             WebhookReceiver receiver = WebhookReceiver.startIn(testbed.serverNs())) {
            int group = ThreadLocalRandom.current().nextInt(100, 60000);
            testbed.logToNflog(group);
            Testbed.Client alice = testbed.addClient();
            Map<String, String> env = Map.of(
                    "WGMON_NFLOG_GROUP", String.valueOf(group),
                    "WGMON_WIREGUARD_INTERFACES", testbed.serverInterface(),
                    "WGMON_TRACKING_IDLE_TIMEOUT", IDLE.toSeconds() + "s",
                    "WGMON_TRACKING_TICK", TICK.toSeconds() + "s",
                    "WGMON_WEBHOOK_URL", receiver.url("/hook").toString(),
                    "WGMON_WEBHOOK_RETRY_INITIAL", "200ms");
            try (MonitorProcess monitor = MonitorProcess.start(testbed.serverNs(), env, log)) {
                monitor.awaitReady(Duration.ofSeconds(60));
                try {
                    run(testbed, receiver, monitor, alice);
                } catch (AssertionError | RuntimeException e) {
                    System.err.println("---- wgmon log ----\n" + monitor.log());
                    throw e;
                }
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private void run(Testbed testbed, WebhookReceiver receiver, MonitorProcess monitor, Testbed.Client alice)
            throws Exception {
        testbed.ping(alice);
        assertNotNull(receiver.await(d -> d.is("peer.connected", alice.publicKey()), Duration.ofSeconds(5)),
                "no peer.connected for alice");
        assertTrue(monitor.log().contains("Watching interface lifecycle: rtnetlink link notifications and inotify on "
                + testbed.uapiDir()), monitor.log());

        // 1. the server's wireguard-go dies: interface-down within about a second, not after the 60 s idle timeout
        Instant killed = Instant.now();
        testbed.killServerDaemon();
        Delivery down = receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), Duration.ofSeconds(10));
        assertNotNull(down, "no peer.disconnected after the daemon was killed");
        Duration latency = Duration.between(killed, down.receivedAt());
        System.out.println("LIFECYCLE: wireguard-go killed -> peer.disconnected (" + down.json().get("reason").asText()
                + ") received: " + latency.toMillis() + " ms (idle-timeout " + IDLE.toMillis() + " ms, tick "
                + TICK.toMillis() + " ms)");
        assertEquals("interface-down", down.json().get("reason").asText());
        assertTrue(latency.compareTo(Duration.ofMillis(1500)) <= 0, "interface-down took " + latency);
        // SIGKILL leaves the socket file behind: the tun link's RTM_DELLINK is what told
        assertTrue(monitor.log().contains("Link " + testbed.serverInterface() + " (tun) went away: scanning"), monitor.log());

        // 2. a new daemon with the same configuration; the client's session is gone on the server, so it
        //    handshakes again once its own timers give up on the old one: ping until it does
        Instant restarted = Instant.now();
        testbed.restartServerDaemon();
        Delivery again = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (again == null && System.nanoTime() < deadline) {
            Shell.quietly(List.of("ip", "netns", "exec", alice.namespace(), "ping", "-c", "1", "-W", "1", "10.10.10.1"));
            again = receiver.await(d -> d.is("peer.connected", alice.publicKey()) && d.receivedAt().isAfter(restarted),
                    Duration.ofMillis(200));
        }
        assertNotNull(again, "no peer.connected after the daemon was restarted");
        System.out.println("LIFECYCLE: wireguard-go restarted -> peer.connected received: "
                + Duration.between(restarted, again.receivedAt()).toMillis() + " ms (the client's ping loop; its"
                + " old session times out first)");
        assertEquals(3, receiver.accepted().size(), "connected, disconnected, connected: " + receiver.accepted());
    }
}
