package io.wgmon.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.testbed.LivePrerequisites;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;

import static io.wgmon.api.ThisHost.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default: no wgmon.api.token, so another host is refused with a body that says how to open the API. */
@QuarkusTest
@TestProfile(AccessFilterWithoutTokenTest.AllAddresses.class)
class AccessFilterWithoutTokenTest {

    public static class AllAddresses implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.host", "0.0.0.0", "quarkus.management.host", "0.0.0.0");
        }
    }

    @TestHTTPResource("/")
    URL main;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void anotherHostIsRefusedAndToldHowToOpenIt() throws Exception {
        String stranger = LivePrerequisites.require(ThisHost.nonLoopbackAddress(),
                "a non-loopback address of this host to send from");
        for (String url : new String[] {url(stranger, main, "/api/peers"), url(stranger, main, "/api/events"),
                url(stranger, management, "/q/metrics")}) {
            HttpProbe reply = HttpProbe.get(url, "Bearer anything-at-all-0123456789");
            assertEquals(403, reply.status(), url);
            assertTrue(reply.body().contains("set wgmon.api.token (WGMON_API_TOKEN"), reply.body());
        }
        assertEquals(200, HttpProbe.get(url(stranger, management, "/q/health/live"), null).status());
        assertEquals(200, HttpProbe.get(url("127.0.0.1", main, "/api/peers"), null).status(), "loopback");
    }
}
