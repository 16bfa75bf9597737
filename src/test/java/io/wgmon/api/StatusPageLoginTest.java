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
        assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains("httponly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> opened = get(url(stranger, main, "/"), cookie);
        assertEquals(200, opened.statusCode());
        assertTrue(opened.body().contains("status.js"), opened.body());
        assertEquals(200, get(url(stranger, main, "/api/peers"), cookie).statusCode());
        assertEquals(200, get(url(stranger, main, "/status.js"), cookie).statusCode());
        assertEquals(401, get(url(stranger, main, "/api/peers"), "wgmon_token=wrong-token-0123456789abc").statusCode());
        assertEquals(401, get(url(stranger, main, "/status.js"), null).statusCode());
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() throws Exception {
        HttpResponse<String> document = get(url("127.0.0.1", management, "/q/openapi"), null);
        assertEquals(200, document.statusCode());
        for (String path : new String[] {"/api/peers:", "/api/peers/{interface}:", "/api/events:"}) {
            assertTrue(document.body().contains(path), path + " missing from\n" + document.body());
        }
        assertEquals(401, get(url(stranger, management, "/q/openapi"), null).statusCode(), "behind the gate");
    }

    @Test
    void anInterfaceTheLastScanDidNotSeeIs404() throws Exception {
        assertEquals(404, get(url("127.0.0.1", main, "/api/peers/no-such-wg"), null).statusCode());
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
