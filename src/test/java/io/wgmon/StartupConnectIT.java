package io.wgmon;

import io.wgmon.testbed.LiveBed;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connect during start-up is not lost (issue: "the first scan took the fresh handshake as already
 * connected"), live: the packaged wgmon is started, and a new client pings right after the exec,
 * while the JVM starts; its {@code peer.connected} arrives, and when the peer is then removed its
 * {@code peer.disconnected} (removed) comes after it; no disconnect is sent for a peer whose connect was
 * not. Five starts, without saved state (no spool): the baseline's rule that a handshake newer than
 * the process's start is a connect is what decides. The idle timeout is longer than a start of wgmon on
 * a busy machine, so the handshake is still recent at the first scan.
 */
class StartupConnectIT {
    private static final int STARTS = 5;
    /**
     * Long enough that a slow start-up still finds the handshake recent; a removal is found by the scan at
     * the peer's deadline (nothing tells wgmon of a peer removed by `wg set`), so within this much.
     */
    private static final Duration IDLE = Duration.ofSeconds(30);

    private static LiveBed bed;

    @BeforeAll
    static void start() throws Exception {
        bed = LiveBed.start(3500, "startup", IDLE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void aHandshakeWhileWgmonStartsIsReportedAndItsDisconnectOnlyAfterIt() throws Exception {
        Testbed testbed = bed.testbed();
        WebhookReceiver receiver = bed.receiver();
        Map<String, String> env = bed.env(IDLE, Duration.ofSeconds(1));
        for (int i = 1; i <= STARTS; i++) {
            Testbed.Client client = testbed.addClient();
            // the ping waits in the client's namespace for one line on stdin, so it goes out a fraction of a
            // millisecond after wgmon's exec instead of after a process start
            Process ping = new ProcessBuilder("ip", "netns", "exec", client.namespace(), "sh", "-c",
                    "read go; exec ping -c 1 -W 3 10.10.10.1").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(300);
            long exec;
            long pinged;
            Instant pingedAt;
            try (MonitorProcess monitor = bed.startMonitor(env)) {
                exec = System.nanoTime();
                ping.getOutputStream().write('\n');
                ping.getOutputStream().flush();
                pinged = System.nanoTime();
                pingedAt = Instant.now();
                try {
                    Delivery connected = receiver.await(d -> d.is("peer.connected", client.publicKey()),
                            Duration.ofSeconds(30));
                    assertNotNull(connected, "start " + i + ": the connect during start-up was lost");
                    testbed.removePeer(client);
                    Delivery disconnected = receiver.await(d -> d.is("peer.disconnected", client.publicKey()),
                            IDLE.plusSeconds(10));
                    assertNotNull(disconnected, "start " + i + ": a reported peer that is removed is reported removed");
                    assertTrue(!disconnected.receivedAt().isBefore(connected.receivedAt()));
                    System.out.printf("STARTUP: start %d: ping released %.3f ms after wgmon's exec; peer.connected "
                                    + "received %d ms after the ping, peer.disconnected (%s) %d ms after that%n", i,
                            (pinged - exec) / 1e6, Duration.between(pingedAt, connected.receivedAt()).toMillis(),
                            disconnected.json().get("reason").asText(),
                            Duration.between(connected.receivedAt(), disconnected.receivedAt()).toMillis());
                } catch (AssertionError | RuntimeException e) {
                    System.err.println("---- wgmon log ----\n" + monitor.log());
                    throw e;
                } finally {
                    ping.waitFor();
                }
            }
        }
        // every disconnect follows its own peer's connect: none is invented for a peer tracked silently
        List<Delivery> all = receiver.accepted();
        for (int i = 0; i < all.size(); i++) {
            Delivery d = all.get(i);
            String key = d.json().get("peer").get("publicKey").asText();
            if (d.is("peer.disconnected", key)) {
                assertTrue(all.subList(0, i).stream().anyMatch(e -> e.is("peer.connected", key)),
                        "a peer.disconnected without its peer.connected: " + all);
            }
        }
        assertEquals(2 * STARTS, all.size(), "one connect and one disconnect per start: " + all);
    }
}
