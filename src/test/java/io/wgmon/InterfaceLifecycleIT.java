package io.wgmon;

import io.wgmon.testbed.LiveBed;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interface lifecycle as events, live: the packaged wgmon watches a wireguard-go server with a
 * long idle timeout and tick; the server's daemon is killed, and the disconnect arrives within
 * about a second (rtnetlink saw its tun link go), not after the idle timeout. A new daemon with
 * the same configuration, and the client's next packets, bring the connect back. A daemon caught
 * mid-death (its link gone, its UAPI socket accepting but silent) is followed until it is gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InterfaceLifecycleIT {
    private static final Duration IDLE = Duration.ofSeconds(60);
    private static final Duration TICK = Duration.ofSeconds(30);
    private static final Duration HANG = Duration.ofSeconds(3);

    private static LiveBed bed;
    private static Testbed testbed;
    private static WebhookReceiver receiver;
    private static MonitorProcess monitor;
    private static Testbed.Client alice;

    @BeforeAll
    static void start() throws Exception {
        bed = LiveBed.start(3300, "lifecycle", IDLE);
        testbed = bed.testbed();
        receiver = bed.receiver();
        alice = testbed.addClient();
        monitor = bed.startMonitor(bed.env(IDLE, TICK));
        monitor.awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (monitor != null) {
                monitor.close();
            }
        } finally {
            if (bed != null) {
                bed.close();
            }
        }
    }

    private interface Steps {
        void run() throws Exception;
    }

    private static void withLogOnFailure(Steps steps) throws Exception {
        try {
            steps.run();
        } catch (AssertionError | RuntimeException e) {
            System.err.println("---- wgmon log ----\n" + monitor.log());
            throw e;
        }
    }

    @Test
    @Order(1)
    void aKilledDaemonDisconnectsItsPeersAtOnceAndARestartConnectsThemAgain() throws Exception {
        withLogOnFailure(() -> {
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
            assertTrue(monitor.log().contains("Link " + testbed.serverInterface() + " (tun) went away: scanning"),
                    monitor.log());

            // 2. a new daemon with the same configuration; the client's session is gone on the server, so it
            //    handshakes again once its own timers give up on the old one: ping until it does
            Instant restarted = Instant.now();
            testbed.restartServerDaemon();
            Delivery again = pingUntilConnected(restarted);
            System.out.println("LIFECYCLE: wireguard-go restarted -> peer.connected received: "
                    + Duration.between(restarted, again.receivedAt()).toMillis() + " ms (the client's ping loop; its"
                    + " old session times out first)");
            assertEquals(3, receiver.accepted().size(), "connected, disconnected, connected: " + receiver.accepted());
        });
    }

    /**
     * The CI failure this guards against: the daemon was killed right after a connect, and the scans
     * during its death found its socket accepting but not answering (a failed read keeps the device),
     * so one follow-up scan was not enough. Here the daemon hangs with its link gone for 3 s, then dies: the
     * first scan times out (2 s), the follow-up 500 ms later hangs until the kill resets it, and only a
     * scan after that finds the device gone.
     */
    @Test
    @Order(2)
    void aDaemonThatHangsWhileDyingIsFollowedUntilItIsGone() throws Exception {
        withLogOnFailure(() -> {
            int before = receiver.accepted().size();
            Instant linkDeleted = Instant.now();
            testbed.hangServerDaemonAndDeleteItsLink();
            assertEquals(null, receiver.await(d -> d.is("peer.disconnected", alice.publicKey())
                    && d.receivedAt().isAfter(linkDeleted), HANG),
                    "the daemon's socket still accepts: its device is not known gone yet");
            Instant killed = Instant.now();
            testbed.killServerDaemon();
            Delivery down = receiver.await(d -> d.is("peer.disconnected", alice.publicKey())
                    && d.receivedAt().isAfter(linkDeleted), Duration.ofSeconds(10));
            assertNotNull(down, "no peer.disconnected after the hung daemon was killed");
            System.out.println("LIFECYCLE: link deleted, daemon hung " + HANG.toMillis() + " ms, then killed -> peer.disconnected ("
                    + down.json().get("reason").asText() + ") received " + Duration.between(killed, down.receivedAt())
                    .toMillis() + " ms after the kill, " + Duration.between(linkDeleted, down.receivedAt()).toMillis()
                    + " ms after the link went (tick " + TICK.toMillis() + " ms)");
            assertEquals("interface-down", down.json().get("reason").asText());
            Duration afterKill = Duration.between(killed, down.receivedAt());
            assertTrue(afterKill.compareTo(Duration.ofSeconds(3)) <= 0,
                    "the follow-up scans should have found the device gone soon after the kill: " + afterKill);

            Instant restarted = Instant.now();
            testbed.restartServerDaemon();
            testbed.renewSession(alice);
            Delivery again = pingUntilConnected(restarted);
            System.out.println("LIFECYCLE: restarted, client renewed its session -> peer.connected received: "
                    + Duration.between(restarted, again.receivedAt()).toMillis() + " ms");
            assertEquals(before + 2, receiver.accepted().size(), "disconnected, connected: " + receiver.accepted());
        });
    }

    private static Delivery pingUntilConnected(Instant after) throws InterruptedException {
        Delivery again = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (again == null && System.nanoTime() < deadline) {
            Shell.quietly(List.of("ip", "netns", "exec", alice.namespace(), "ping", "-c", "1", "-W", "1", "10.10.10.1"));
            again = receiver.await(d -> d.is("peer.connected", alice.publicKey()) && d.receivedAt().isAfter(after),
                    Duration.ofMillis(200));
        }
        assertNotNull(again, "no peer.connected after the daemon was restarted");
        return again;
    }
}
