package io.wgmon.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's reverse-proxy setting, with loopback trusted on purpose: Quarkus's proxy support on,
 * every proxy trusted. What a client writes into forwarding headers, or into Host, never opens the
 * API; only the socket's peer counts.
 */
@QuarkusTest
@TestProfile(BehindAProxyTest.ProxySupport.class)
class BehindAProxyTest extends FromAnotherHost {

    public static class ProxySupport implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wgmon.api.token", AccessFilterTest.TOKEN, "wgmon.api.trust-loopback", "true",
                    "quarkus.http.host", "0.0.0.0", "quarkus.management.host", "0.0.0.0",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.allow-forwarded", "true");
        }
    }

    @Test
    void aForwardedLoopbackAddressFromAnotherHostIsNoCredential() throws Exception {
        for (Map<String, String> forged : Set.of(Map.of("X-Forwarded-For", "127.0.0.1"),
                Map.of("X-Forwarded-For", "127.0.0.1, 192.0.2.9"), Map.of("Forwarded", "for=127.0.0.1"),
                Map.of("Forwarded", "for=\"[::1]\""))) {
            RawRequest peers = RawRequest.get(stranger, main.getPort(), "/api/peers", forged);
            System.out.println("PROXY: from " + stranger + " with " + forged + ": /api/peers -> " + peers.status());
            assertEquals(401, peers.status(), forged.toString());
            assertEquals(401, RawRequest.get(stranger, management.getPort(), "/q/metrics", forged).status(), forged.toString());
            RawRequest health = RawRequest.get(stranger, management.getPort(), "/q/health/ready", forged);
            assertFalse(health.body().contains("checks"), "no health details: " + health.body());
        }
        assertEquals(200, RawRequest.get("127.0.0.1", main.getPort(), "/api/peers", Map.of()).status(),
                "the socket's loopback peer is trusted, as configured");
    }

    @Test
    void aRebindingHostIsRefusedEvenFromLoopback() throws Exception {
        Map<String, String> rebound = Map.of("Host", "rebind.attacker.example:" + main.getPort());
        for (String path : new String[] {"/api/peers", "/", "/login", "/status.js", "/no/such/path"}) {
            RawRequest reply = RawRequest.get("127.0.0.1", main.getPort(), path, rebound);
            System.out.println("HOST: rebind.attacker.example from loopback: " + path + " -> " + reply.status());
            assertEquals(421, reply.status(), path);
            assertTrue(reply.body().contains("wgmon.api.allowed-hosts"), reply.body());
        }
        assertEquals(421, RawRequest.send("127.0.0.1", main.getPort(), "POST", "/login",
                Map.of("Host", "rebind.attacker.example", "Content-Type", "application/x-www-form-urlencoded"),
                "token=" + AccessFilterTest.TOKEN).status());
        assertEquals(421, RawRequest.get("127.0.0.1", management.getPort(), "/q/metrics",
                Map.of("Host", "rebind.attacker.example")).status());
        int health = RawRequest.get("127.0.0.1", management.getPort(), "/q/health/live",
                Map.of("Host", "rebind.attacker.example")).status();
        assertEquals(200, health, "probes send whatever Host they like");
        for (String host : new String[] {"localhost", "LOCALHOST:" + main.getPort(), "127.0.0.1", "[::1]", stranger}) {
            assertEquals(200, RawRequest.get("127.0.0.1", main.getPort(), "/api/peers", Map.of("Host", host)).status(), host);
        }
    }

    @Test
    void rejectedPathsDoNotBecomeMetricTags() throws Exception {
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String path = "/x" + UUID.randomUUID().toString().replace("-", "");
            made.add(path);
            String from = i % 2 == 0 ? stranger : "127.0.0.1";
            int status = RawRequest.get(from, main.getPort(), path, Map.of()).status();
            assertEquals(i % 2 == 0 ? 401 : 404, status, from + path);
        }
        assertEquals(401, RawRequest.get(stranger, main.getPort(), "/api/peers", Map.of()).status());
        String scrape = RawRequest.get("127.0.0.1", management.getPort(), "/q/metrics", Map.of()).body();
        long tagged = made.stream().filter(scrape::contains).count();
        System.out.println("METRICS: 200 made-up paths (100 answered 401, 100 404), in the scrape: " + tagged + "; "
                + scrape.lines().filter(line -> line.startsWith("http_server_requests_seconds_count")
                && line.contains("UNMATCHED")).toList());
        assertEquals(0, tagged);
        assertTrue(scrape.contains("uri=\"UNMATCHED\""), "the rejected requests are counted under one tag");
        assertTrue(scrape.contains("status=\"401\",uri=\"/api/peers\""), "wgmon's own routes keep theirs");
    }
}
