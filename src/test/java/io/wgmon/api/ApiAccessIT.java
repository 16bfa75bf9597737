package io.wgmon.api;

import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.NetNs;
import io.wgmon.testbed.Testbed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped layout, live: the packaged wgmon in the server namespace on all its addresses (as
 * with hostNetwork), asked from a client namespace over the veth, as another host would.
 */
class ApiAccessIT {
    private static final String TOKEN = "live-token-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final String SERVER = "192.0.2.1";

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft");
    }

    @Test
    void anotherHostNeedsTheTokenForTheApiTheStreamAndTheMetricsButNotForHealth() throws Exception {
        Path log = Files.createTempFile("wgmon-access-", ".log");
        try (Testbed testbed = Testbed.create(3000)) {
            int group = ThreadLocalRandom.current().nextInt(100, 60000);
            testbed.logToNflog(group, Duration.ofSeconds(180));
            String stranger = testbed.addClient().namespace();
            Map<String, String> env = Map.of(
                    "WGMON_NFLOG_GROUP", String.valueOf(group),
                    "WGMON_WIREGUARD_INTERFACES", testbed.serverInterface(),
                    "WGMON_API_TOKEN", TOKEN,
                    // both ports on every address: the operator's choice (the default is loopback)
                    "QUARKUS_HTTP_HOST", "0.0.0.0",
                    "QUARKUS_MANAGEMENT_HOST", "0.0.0.0");
            try (MonitorProcess monitor = MonitorProcess.start(testbed.serverNs(), env, log)) {
                monitor.awaitReady(Duration.ofSeconds(60));
                try {
                    check(stranger, monitor);
                } catch (AssertionError | RuntimeException e) {
                    System.err.println("---- wgmon log ----\n" + monitor.log());
                    throw e;
                }
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private void check(String stranger, MonitorProcess monitor) throws Exception {
        String api = "http://" + SERVER + ":" + monitor.httpPort();
        String management = "http://" + SERVER + ":" + monitor.managementPort();
        for (String url : new String[] {api + "/api/peers", api + "/api/events", management + "/q/metrics"}) {
            expect(stranger, url, null, 401);
            expect(stranger, url, "Bearer wrong-" + TOKEN, 401);
            expect(stranger, url, "Bearer " + TOKEN, 200);
        }
        for (String path : new String[] {"/q/health/live", "/q/health/ready"}) {
            expect(stranger, management + path, null, 200);
        }
        assertEquals(401, monitor.get("/api/peers").status(), "with a token set, loopback is no credential");
        assertEquals(401, monitor.getManagement("/q/metrics").status(), "with a token set, loopback is no credential");
        System.out.println("ACCESS: loopback, no token (wgmon.api.trust-loopback unset): /api/peers "
                + monitor.get("/api/peers").status() + ", /q/metrics " + monitor.getManagement("/q/metrics").status());
        String localHealth = monitor.getManagement("/q/health/ready").body();
        HttpProbe outsideHealth = NetNs.call(stranger, () -> HttpProbe.get(management + "/q/health/ready", null));
        System.out.println("ACCESS: /q/health/ready from loopback has checks: " + localHealth.contains("\"checks\"")
                + "; from " + stranger + ": " + outsideHealth.status() + " " + outsideHealth.body());
        assertTrue(localHealth.contains("connectedPeers"), localHealth);
        assertEquals("{\"status\":\"UP\"}", outsideHealth.body());
    }

    private static void expect(String namespace, String url, String authorization, int status) throws Exception {
        HttpProbe reply = NetNs.call(namespace, () -> HttpProbe.get(url, authorization));
        String credential = authorization == null ? "no token" : authorization.contains("wrong") ? "wrong token" : "token";
        System.out.println("ACCESS: from " + namespace + ", " + credential + ": GET " + url + " -> " + reply.status());
        assertEquals(status, reply.status(), url + " with " + credential);
        if (status == 401) {
            assertEquals("Bearer realm=\"wgmon\"", reply.wwwAuthenticate(), url);
        }
        if (url.endsWith("/api/events") && status == 200) {
            assertTrue(reply.contentType().startsWith("text/event-stream"), reply.contentType());
        }
    }
}
