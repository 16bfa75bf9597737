package io.wgmon;

import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, item 7, live: with a durable store, SIGTERM while a delivery hangs on a receiver that
 * accepts and never answers ends wgmon within 1 s, not after the request timeout; the pending
 * event stays stored and is delivered after a restart with a working receiver.
 */
class SigtermWithStoreIT {
    private static final Duration EXIT_BOUND = Duration.ofSeconds(1);

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft", "ping");
    }

    @Test
    void sigtermExitsAtOnceAndThePendingEventIsDeliveredAfterTheRestart() throws Exception {
        Path spool = Files.createTempDirectory("wgmon-sigterm-spool-");
        Path firstLog = Files.createTempFile("wgmon-sigterm-1-", ".log");
        Path secondLog = Files.createTempFile("wgmon-sigterm-2-", ".log");
        try (Testbed testbed = Testbed.create(3000);
             HangingReceiver hanging = HangingReceiver.startIn(testbed.serverNs())) {
            int group = java.util.concurrent.ThreadLocalRandom.current().nextInt(100, 60000);
            testbed.logToNflog(group, Duration.ofSeconds(60));
            Testbed.Client alice = testbed.addClient();
            Testbed.Client marker = testbed.addClient();
            Map<String, String> env = new HashMap<>(Map.of(
                    "WGMON_NFLOG_GROUP", String.valueOf(group),
                    "WGMON_WIREGUARD_INTERFACES", testbed.serverInterface(),
                    "WGMON_TRACKING_IDLE_TIMEOUT", "60s",
                    "WGMON_WEBHOOK_URL", "http://127.0.0.1:" + hanging.port() + "/hook",
                    "WGMON_WEBHOOK_REQUEST_TIMEOUT", "5s",
                    "WGMON_STORE_DIR", spool.toString()));

            long exitMillis;
            try (MonitorProcess first = MonitorProcess.start(testbed.serverNs(), env, firstLog)) {
                first.awaitReady(Duration.ofSeconds(60));
                testbed.ping(alice);
                assertTrue(hanging.awaitRequest(Duration.ofSeconds(10)),
                        "the peer.connected delivery never reached the hanging receiver:\n" + first.log());
                long signalled = System.nanoTime();
                first.terminate();
                int code = first.awaitExit(Duration.ofSeconds(10));
                exitMillis = (System.nanoTime() - signalled) / 1_000_000;
                System.out.println("SIGTERM: wgmon exited with " + code + " after " + exitMillis
                        + " ms, a delivery hanging on the receiver (request timeout 5 s)");
                assertTrue(first.log().contains("stay in the spool for the next start"), first.log());
            }
            assertTrue(exitMillis <= EXIT_BOUND.toMillis(), "SIGTERM took " + exitMillis + " ms, bound " + EXIT_BOUND);

            int port = hanging.port();
            hanging.close();
            try (WebhookReceiver receiver = WebhookReceiver.startIn(testbed.serverNs(), port);
                 MonitorProcess second = MonitorProcess.start(testbed.serverNs(), env, secondLog)) {
                second.awaitReady(Duration.ofSeconds(60));
                Delivery delivered = receiver.await(d -> d.is("peer.connected", alice.publicKey()),
                        Duration.ofSeconds(15));
                assertNotNull(delivered, "the stored peer.connected was not delivered after the restart:\n" + second.log());
                // a marker connect after it: whatever the restart had to say came before the marker's event
                testbed.ping(marker);
                assertNotNull(receiver.await(d -> d.is("peer.connected", marker.publicKey()), Duration.ofSeconds(15)),
                        "no peer.connected for the marker client:\n" + second.log());
                List<Delivery> accepted = receiver.accepted().stream()
                        .filter(d -> !d.body().contains(marker.publicKey())).toList();
                System.out.println("SIGTERM: after the restart " + accepted.size()
                        + " event(s) received, the stored one " + delivered.json().get("id").asText());
                assertEquals(1, accepted.size(), "the stored event once, nothing invented: " + accepted);
            }
        } finally {
            Files.deleteIfExists(firstLog);
            Files.deleteIfExists(secondLog);
            try (Stream<Path> files = Files.walk(spool)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Accepts connections on the namespace's loopback and never answers: a receiver that hangs. */
    private static final class HangingReceiver implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new ArrayList<>();
        private final AtomicInteger requests = new AtomicInteger();
        private final Thread acceptor;

        private HangingReceiver(ServerSocket server) {
            this.server = server;
            this.acceptor = new Thread(this::accept, "hanging-receiver");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        static HangingReceiver startIn(String namespace) throws Exception {
            return new HangingReceiver(NetNs.call(namespace,
                    () -> new ServerSocket(0, 50, InetAddress.getLoopbackAddress())));
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket socket = server.accept();
                    synchronized (held) {
                        held.add(socket);
                    }
                    if (socket.getInputStream().read() >= 0) { // the request has started: now hang
                        synchronized (requests) {
                            requests.incrementAndGet();
                            requests.notifyAll();
                        }
                    }
                }
            } catch (IOException closed) {
                // closed by the test
            }
        }

        boolean awaitRequest(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (requests) {
                while (requests.get() == 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    requests.wait(Math.max(1, left / 1_000_000));
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (held) {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }
}
