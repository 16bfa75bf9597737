package io.wgmon;

import io.wgmon.testbed.LiveBed;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WireGuard daemon restart between two ticks is not invisible (issue: "no event at all"), live: the
 * server's wireguard-go is killed just after an idle tick and started again with the same configuration
 * about 1.7 s later, and the client handshakes again. wgmon reports {@code peer.disconnected}
 * (interface-down) and then {@code peer.connected}.
 */
class DaemonRestartIT {
    private static final Duration IDLE = Duration.ofSeconds(60);
    private static final Duration TICK = Duration.ofSeconds(2);
    private static final Duration DOWN = Duration.ofMillis(1700);

    private static LiveBed bed;

    @BeforeAll
    static void start() throws Exception {
        bed = LiveBed.start(3600, "daemon-restart", IDLE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    /** Scans of every cause: the series has one count per cause label. */
    private static double scans(MonitorProcess monitor) throws Exception {
        return monitor.metric("wgmon_scans_seconds_count");
    }

    @Test
    void aDaemonRestartBetweenTwoTicksIsDisconnectThenConnect() throws Exception {
        Testbed testbed = bed.testbed();
        WebhookReceiver receiver = bed.receiver();
        Testbed.Client alice = testbed.addClient();
        try (MonitorProcess monitor = bed.startMonitor(bed.env(IDLE, TICK))) {
            monitor.awaitReady(Duration.ofSeconds(60));
            try {
                testbed.ping(alice);
                assertNotNull(receiver.await(d -> d.is("peer.connected", alice.publicKey()), Duration.ofSeconds(5)));

                // the scans that followed the connect settle (the next one is the peer's deadline, IDLE
                // away): the kill then falls between two scans, as a restart between two ticks did
                double seen = scans(monitor);
                long quietSince = System.nanoTime();
                long deadline = quietSince + TICK.multipliedBy(10).toNanos();
                while (System.nanoTime() - quietSince < TICK.toNanos() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    double now = scans(monitor);
                    if (now != seen) {
                        seen = now;
                        quietSince = System.nanoTime();
                    }
                }
                assertTrue(System.nanoTime() - quietSince >= TICK.toNanos(), "scans did not settle within "
                        + TICK.multipliedBy(10) + ": the kill would not fall between two scans");
                Instant killed = Instant.now();
                testbed.killServerDaemon();
                Thread.sleep(DOWN.toMillis());
                testbed.restartServerDaemon();
                Instant restarted = Instant.now();
                testbed.renewSession(alice);
                Delivery again = null;
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (again == null && System.nanoTime() < until) {
                    Shell.quietly(List.of("ip", "netns", "exec", alice.namespace(), "ping", "-c", "1", "-W", "1",
                            "10.10.10.1"));
                    again = receiver.await(d -> d.is("peer.connected", alice.publicKey()) && d.receivedAt().isAfter(killed),
                            Duration.ofMillis(200));
                }
                Delivery down = receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), Duration.ZERO);
                System.out.println("DAEMON RESTART: killed between two scans (tick " + TICK.toMillis()
                        + " ms), down " + Duration.between(killed, restarted).toMillis() + " ms");
                for (Delivery d : receiver.accepted()) {
                    System.out.println("DAEMON RESTART:   " + d.json().get("event").asText()
                            + (d.json().hasNonNull("reason") ? " (" + d.json().get("reason").asText() + ")" : "")
                            + " received " + Duration.between(killed, d.receivedAt()).toMillis() + " ms after the kill");
                }
                assertNotNull(down, "no peer.disconnected for the daemon restart");
                assertNotNull(again, "no peer.connected after the daemon restart");
                assertEquals("interface-down", down.json().get("reason").asText());
                assertTrue(down.receivedAt().isBefore(again.receivedAt()), "disconnect, then connect");
                assertEquals(3, receiver.accepted().size(), "connected, disconnected, connected: " + receiver.accepted());
            } catch (AssertionError | RuntimeException e) {
                System.err.println("---- wgmon log ----\n" + monitor.log());
                throw e;
            }
        }
    }
}
