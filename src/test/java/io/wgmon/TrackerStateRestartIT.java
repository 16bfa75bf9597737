package io.wgmon;

import io.wgmon.testbed.LiveBed;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The tracker's state across restarts of the packaged wgmon, live (docs/architecture.md#tracking, docs/architecture.md#delivery): one
 * spool directory, so one store, over three runs. A restart does not report Alice's connect again;
 * Alice gone for longer than the idle timeout while wgmon was down is reported idle by the next run's
 * first scan; Bob's handshake while wgmon was down is reported connected by the next run.
 */
class TrackerStateRestartIT {
    /** Longer than a start of wgmon on a busy machine: Alice must not go idle while run 2 starts. */
    private static final Duration IDLE = Duration.ofSeconds(40);

    private static LiveBed bed;
    private static Testbed testbed;
    private static WebhookReceiver receiver;
    private static Path spool;
    private static Map<String, String> env;
    private static final StringBuilder logs = new StringBuilder();

    @BeforeAll
    static void start() throws Exception {
        bed = LiveBed.start(3400, "state", IDLE);
        testbed = bed.testbed();
        receiver = bed.receiver();
        spool = Files.createTempDirectory("wgmon-state-spool-");
        env = bed.env(IDLE, Duration.ofSeconds(1));
        env.put("WGMON_STORE_DIR", spool.resolve("store").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (bed != null) {
                bed.close();
            }
        } finally {
            if (spool != null) {
                try (Stream<Path> files = Files.walk(spool)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    private interface Run {
        void during(MonitorProcess monitor) throws Exception;
    }

    /** One run of wgmon on the shared store, stopped with SIGTERM (its state is flushed) at the end. */
    private static void run(String label, Run run) throws Exception {
        Instant started = Instant.now();
        MonitorProcess monitor = bed.startMonitor(env);
        try {
            monitor.awaitReady(Duration.ofSeconds(60));
            System.out.println("STATE: " + label + ": wgmon ready after " + Duration.between(started, Instant.now()).toMillis()
                    + " ms");
            run.during(monitor);
        } finally {
            monitor.close();
            logs.append("---- wgmon log, ").append(label).append(" ----\n").append(monitor.log());
        }
    }

    private static void printEvents(Instant since) {
        for (Delivery d : receiver.accepted()) {
            String name = d.json().get("peer").get("publicKey").asText();
            System.out.println("STATE:   event " + d.json().get("event").asText() + " " + name.substring(0, 8)
                    + (d.json().hasNonNull("reason") ? " reason " + d.json().get("reason").asText() : "")
                    + " received " + Duration.between(since, d.receivedAt()).toMillis() + " ms after the test began");
        }
    }

    @Test
    void restartsReportNothingTwiceAndWhatChangedWhileDown() throws Exception {
        try {
            restarts();
        } catch (AssertionError | RuntimeException e) {
            System.err.println(logs);
            throw e;
        }
    }

    private void restarts() throws Exception {
        Instant began = Instant.now();
        Testbed.Client alice = testbed.addClient();
        Testbed.Client bob = testbed.addClient();

        Instant[] alicePinged = new Instant[1];
        run("run 1", monitor -> {
            alicePinged[0] = Instant.now();
            testbed.ping(alice);
            assertNotNull(receiver.await(d -> d.is("peer.connected", alice.publicKey()), Duration.ofSeconds(5)),
                    "no peer.connected for alice");
            // Alice goes away now: no packet of hers reaches the server after this run saved her state
            testbed.stopClient(alice);
        });

        run("run 2 (alice connected and saved)", monitor -> {
            Thread.sleep(1500);
            assertEquals(1, receiver.accepted().stream().filter(d -> d.is("peer.connected", alice.publicKey())).count(),
                    "the restart must not report alice's connect again: " + receiver.accepted());
            assertNull(receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), Duration.ZERO),
                    "not idle yet");
        });

        // wgmon is down while Alice's idle timeout passes
        Duration left = Duration.between(Instant.now(), alicePinged[0].plus(IDLE).plusSeconds(1));
        if (!left.isNegative()) {
            Thread.sleep(left.toMillis());
        }
        // and Bob handshakes while wgmon is down; his saved state has no handshake
        testbed.ping(bob);
        run("run 3 (alice away for longer than the idle timeout, bob handshook, while wgmon was down)", monitor -> {
            Instant ready = Instant.now();
            Delivery idle = receiver.await(d -> d.is("peer.disconnected", alice.publicKey()), Duration.ofSeconds(3));
            assertNotNull(idle, "no peer.disconnected for alice after the restart");
            assertEquals("idle", idle.json().get("reason").asText());
            Delivery connected = receiver.await(d -> d.is("peer.connected", bob.publicKey()), Duration.ofSeconds(3));
            assertNotNull(connected, "no peer.connected for bob after the restart");
            System.out.println("STATE: alice's idle disconnect received " + Duration.between(ready, idle.receivedAt())
                    .toMillis() + " ms from ready, bob's connect " + Duration.between(ready, connected.receivedAt())
                    .toMillis() + " ms (both the first scan's; negative: before the readiness poll saw 200)");
            Thread.sleep(1000);
        });

        printEvents(began);
        List<String> events = receiver.accepted().stream().map(d -> d.json().get("event").asText() + " "
                + (d.is(d.json().get("event").asText(), alice.publicKey()) ? "alice" : "bob")).toList();
        assertEquals(List.of("peer.connected alice", "peer.connected bob", "peer.disconnected alice"),
                events.stream().sorted().toList(), "each once, in all three runs: " + events);
    }
}
