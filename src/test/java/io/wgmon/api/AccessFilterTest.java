package io.wgmon.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.wgmon.api.ThisHost.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filter in the running application, both servers on all addresses as in production. Requests
 * to this host's own non-loopback address come from that address: to the filter, another host.
 */
@QuarkusTest
@TestProfile(AccessFilterTest.WithToken.class)
class AccessFilterTest extends FromAnotherHost {
    static final String TOKEN = "test-token-0123456789abcdef";

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wgmon.api.token", TOKEN, "quarkus.http.host", "0.0.0.0", "quarkus.management.host", "0.0.0.0");
        }
    }

    @Test
    void withATokenLoopbackIsNoCredential() throws Exception {
        assertEquals(401, HttpProbe.get(url("127.0.0.1", main, "/api/peers"), null).status());
        assertEquals(401, HttpProbe.get(url("127.0.0.1", management, "/q/metrics"), null).status());
        assertEquals(200, HttpProbe.get(url("127.0.0.1", main, "/api/peers"), "Bearer " + TOKEN).status());
        assertEquals(200, HttpProbe.get(url("127.0.0.1", management, "/q/metrics"), "Bearer " + TOKEN).status());
    }

    @Test
    void anotherHostWithoutTheRightTokenGets401EverywhereButHealth() throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong-token-0123456789", "Basic " + TOKEN, TOKEN}) {
            for (String url : new String[] {url(stranger, main, "/api/peers"), url(stranger, main, "/api/events"),
                    url(stranger, main, "/no/such/path"), url(stranger, management, "/q/metrics"),
                    url(stranger, management, "/q/health/../metrics")}) {
                HttpProbe reply = HttpProbe.get(url, authorization);
                assertEquals(401, reply.status(), url + " with " + authorization);
                assertEquals("Bearer realm=\"wgmon\"", reply.wwwAuthenticate(), url);
                assertTrue(reply.body().contains("Authorization: Bearer"), reply.body());
            }
        }
    }

    @Test
    void anotherHostWithTheTokenGetsTheApiTheStreamAndTheMetrics() throws Exception {
        String bearer = "Bearer " + TOKEN;
        HttpProbe peers = HttpProbe.get(url(stranger, main, "/api/peers"), bearer);
        assertEquals(200, peers.status());
        assertTrue(peers.contentType().startsWith("application/json"), peers.contentType());
        HttpProbe events = HttpProbe.get(url(stranger, main, "/api/events"), bearer);
        assertEquals(200, events.status());
        assertTrue(events.contentType().startsWith("text/event-stream"), events.contentType());
        HttpProbe metrics = HttpProbe.get(url(stranger, management, "/q/metrics"), bearer);
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("# TYPE"), "Prometheus text");
    }

    @Test
    void healthIsOpenToEveryoneOnTheManagementPort() throws Exception {
        for (String path : new String[] {"/q/health", "/q/health/live", "/q/health/started"}) {
            int status = HttpProbe.get(url(stranger, management, path), null).status();
            assertTrue(status == 200 || status == 503, path + " answered " + status + " (not refused)");
        }
        assertEquals(401, HttpProbe.get(url(stranger, main, "/q/health/live"), null).status(),
                "the main port has no open path");
    }

    @Test
    void healthGivesItsDetailsToLoopbackOnly() throws Exception {
        for (String path : new String[] {"/q/health", "/q/health/live", "/q/health/ready", "/q/health/started"}) {
            HttpProbe local = HttpProbe.get(url("127.0.0.1", management, path), null);
            HttpProbe outside = HttpProbe.get(url(stranger, management, path), "Bearer " + TOKEN);
            System.out.println("HEALTH: " + path + " loopback " + local.status() + " " + local.body().replaceAll("\\s+", " ")
                    + " | other host " + outside.status() + " " + outside.body());
            assertEquals(local.status(), outside.status(), path + ": the same code");
            assertTrue(local.body().contains("\"checks\""), local.body());
            assertTrue(outside.body().matches("\\{\"status\":\"(UP|DOWN)\"}"), outside.body());
        }
        assertEquals(404, HttpProbe.get(url(stranger, management, "/q/health/group"), null).status());
    }
}
