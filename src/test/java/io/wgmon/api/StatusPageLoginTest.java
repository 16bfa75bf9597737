package io.wgmon.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static io.wgmon.api.ThisHost.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page and its login, from this host's non-loopback address (another host to the filter):
 * the page sends a browser to the form, the form sets an HttpOnly cookie only for the right token,
 * and that cookie opens the page, the API and the event stream.
 */
@QuarkusTest
@TestProfile(AccessFilterTest.WithToken.class)
class StatusPageLoginTest extends FromAnotherHost {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theRightTokenInTheFormSetsAnHttpOnlyCookieThatOpensThePageAndTheApi() throws Exception {
        HttpResponse<String> page = get(url(stranger, main, "/"), null);
        assertEquals(303, page.statusCode());
        assertEquals("/login", page.headers().firstValue("Location").orElse(null));
        HttpResponse<String> form = get(url(stranger, main, "/login"), null);
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("name=\"token\""), form.body());

        HttpResponse<String> wrong = login("wrong-token-0123456789abc");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty(), "no cookie for a wrong token");

        HttpResponse<String> right = login(AccessFilterTest.TOKEN);
        assertEquals(303, right.statusCode());
        String setCookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        System.out.println("LOGIN: Set-Cookie over plain HTTP: " + setCookie.replaceAll("=[A-Za-z0-9_-]{43};", "=<session>;"));
        assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        assertTrue(setCookie.startsWith("wgmon-session-" + main.getPort() + "="), "named for this port: " + setCookie);
        assertFalse(setCookie.contains(AccessFilterTest.TOKEN), "the cookie is a session, not the token");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> opened = get(url(stranger, main, "/"), cookie);
        assertEquals(200, opened.statusCode());
        assertTrue(opened.body().contains("status.js"), opened.body());
        assertEquals(200, get(url(stranger, main, "/api/peers"), cookie).statusCode());
        assertEquals(200, get(url(stranger, main, "/status.js"), cookie).statusCode());
        assertEquals(401, get(url(stranger, main, "/api/peers"), "wgmon_token=" + AccessFilterTest.TOKEN).statusCode(),
                "the token itself as a cookie opens nothing");
        assertEquals(401, get(url(stranger, main, "/status.js"), null).statusCode());
        String value = cookie.substring(cookie.indexOf('=') + 1);
        assertEquals(401, get(url(stranger, main, "/api/peers"), "wgmon-session-" + (main.getPort() + 1) + "=" + value)
                .statusCode(), "the session under another port's name");
        assertEquals(401, get(url(stranger, management, "/q/metrics"), "wgmon-session-" + management.getPort() + "="
                + value).statusCode(), "a session of the main port on the management port");

        HttpResponse<String> logout = http.send(HttpRequest.newBuilder(URI.create(url(stranger, main, "/logout")))
                .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, logout.statusCode());
        assertTrue(logout.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
        assertEquals(401, get(url(stranger, main, "/api/peers"), cookie).statusCode(), "logout ended the session");
        assertEquals(303, get(url(stranger, main, "/"), cookie).statusCode());
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() throws Exception {
        HttpResponse<String> document = http.send(HttpRequest.newBuilder(URI.create(url(stranger, management, "/q/openapi")))
                .header("Authorization", "Bearer " + AccessFilterTest.TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, document.statusCode());
        for (String path : new String[] {"/api/peers:", "/api/peers/{interface}:", "/api/events:"}) {
            assertTrue(document.body().contains(path), path + " missing from\n" + document.body());
        }
        assertEquals(401, get(url(stranger, management, "/q/openapi"), null).statusCode(), "behind the gate");
    }

    @Test
    void anInterfaceTheLastScanDidNotSeeIs404() throws Exception {
        HttpProbe reply = HttpProbe.get(url(stranger, main, "/api/peers/no-such-wg"), "Bearer " + AccessFilterTest.TOKEN);
        assertEquals(404, reply.status());
    }

    private HttpResponse<String> login(String token) throws Exception {
        String form = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create(url(stranger, main, "/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
