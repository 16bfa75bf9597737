package io.wgmon;

import com.sun.net.httpserver.HttpServer;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.Testbed;
import io.wgmon.testbed.WebhookReceiver;
import io.wgmon.testbed.WebhookReceiver.Delivery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 19 finding 6, live against the packaged app: one receiver answers every delivery with a 300 MB
 * {@code 200} body, streamed (it never holds it), another answers normally. wgmon stays up, the normal
 * receiver gets the event, and the hostile one's delivery fails ("reply body over 8 KiB, discarded") and is
 * finally given up at max-age, for that receiver only.
 */
class HostileReceiverIT {
    private static final long HUGE = 300L * 1024 * 1024;

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft", "ping");
    }

    @Test
    void a300MbReplyLeavesWgmonUpAndFailsThatReceiverOnly() throws Exception {
        Path log = Files.createTempFile("wgmon-hostile-", ".log");
        AtomicLong written = new AtomicLong();
        AtomicInteger hostileRequests = new AtomicInteger();
        try (Testbed testbed = Testbed.create(3019);
             WebhookReceiver good = WebhookReceiver.startIn(testbed.serverNs())) {
            HttpServer hostile = NetNs.call(testbed.serverNs(), () -> hostileServer(written, hostileRequests));
            try {
                int group = ThreadLocalRandom.current().nextInt(100, 60000);
                testbed.logToNflog(group, Duration.ofSeconds(180));
                Testbed.Client alice = testbed.addClient();
                String hostileUrl = "http://127.0.0.1:" + hostile.getAddress().getPort() + "/hostile";
                Map<String, String> env = Map.of(
                        "WGMON_NFLOG_GROUP", String.valueOf(group),
                        "WGMON_WIREGUARD_INTERFACES", testbed.serverInterface(),
                        "WGMON_WEBHOOK_URL", good.url("/hook") + "," + hostileUrl,
                        "WGMON_WEBHOOK_RETRY_INITIAL", "200ms",
                        "WGMON_WEBHOOK_RETRY_MAX", "1s",
                        "WGMON_WEBHOOK_MAX_AGE", "6s");
                try (MonitorProcess monitor = MonitorProcess.start(testbed.serverNs(), env, log)) {
                    monitor.awaitReady(Duration.ofSeconds(60));
                    try {
                        testbed.ping(alice);
                        Delivery connected = good.await(d -> d.is("peer.connected", alice.publicKey()),
                                Duration.ofSeconds(10));
                        assertNotNull(connected, "the normal receiver got no peer.connected");

                        awaitTrue("the hostile delivery given up at max-age", Duration.ofSeconds(60),
                                () -> monitor.metric("wgmon_webhook_expired_total") >= 1);
                        assertTrue(monitor.isAlive(), "wgmon died");
                        assertEquals(200, monitor.getManagement("/q/health/live").status());
                        String wgmonLog = monitor.log();
                        assertFalse(wgmonLog.contains("OutOfMemoryError"), "OutOfMemoryError in the log");
                        assertTrue(wgmonLog.contains("reply body over 8 KiB, discarded"), "no failed attempt logged");
                        assertTrue(monitor.metric("wgmon_webhook_retries_total") >= 2, "attempts were retried");
                        assertEquals(1, monitor.metric("wgmon_webhook_delivered_total"), "only the normal receiver");
                        assertTrue(hostileRequests.get() >= 2, "the hostile receiver was tried again");
                        assertTrue(written.get() < HUGE, "the hostile bodies were not read whole: "
                                + written.get() + " bytes written over " + hostileRequests.get() + " requests");
                        System.out.println("hostile receiver: " + hostileRequests.get() + " requests, "
                                + written.get() + " bytes written before wgmon closed the connections");
                    } catch (AssertionError | Exception e) {
                        System.err.println("---- wgmon log (alive: " + monitor.isAlive() + ") ----\n"
                                + String.join("\n", monitor.log().lines().filter(line -> !line.startsWith("\tat "))
                                .toList()));
                        throw e;
                    }
                }
            } finally {
                hostile.stop(0);
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(200);
        }
    }

    /** Answers 200 and streams {@link #HUGE} bytes in 64 KiB writes, counting them. */
    private static HttpServer hostileServer(AtomicLong written, AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0);
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long left = HUGE; left > 0; left -= block.length) {
                    out.write(block);
                    written.addAndGet(block.length);
                }
            } catch (IOException closedByWgmon) {
                // what a bounded reader does
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        return server;
    }
}
