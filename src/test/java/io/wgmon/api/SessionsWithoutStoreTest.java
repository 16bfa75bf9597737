package io.wgmon.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.wgmon.api.ThisHost.url;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without wgmon.store.dir there is no history: 404 saying which key it needs. */
@QuarkusTest
class SessionsWithoutStoreTest {
    @TestHTTPResource("/")
    URL main;

    @Test
    void everyHistoryEndpointSaysItNeedsAStore() throws Exception {
        for (String path : new String[] {"/api/sessions", "/api/sessions/summary", "/api/sessions?format=csv",
                "/api/peers/rKi3G-UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=/sessions"}) {
            HttpProbe reply = HttpProbe.get(url("127.0.0.1", main, path), null);
            assertEquals(404, reply.status(), path);
            assertEquals("{\"error\":\"session history needs wgmon.store.dir\"}", reply.body(), path);
        }
    }
}
