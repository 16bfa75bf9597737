package io.wgmon.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API and the page over HTTPS, as the README configures it (quarkus.tls.*, plain HTTP off), with a
 * certificate keytool makes for the test: the login's cookie is {@code __Host-}, Secure, HttpOnly,
 * SameSite=Strict, Path=/ without Domain, and opens the API until logout.
 */
@QuarkusTest
@TestProfile(TlsLoginTest.Https.class)
class TlsLoginTest {
    private static final String PASSWORD = "test-keystore-password";
    private static final Path KEYSTORE = Path.of("target", "tls-login-test", "wgmon.p12");

    public static class Https implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            makeKeystore();
            return Map.of("wgmon.api.token", AccessFilterTest.TOKEN,
                    "quarkus.tls.key-store.p12.path", KEYSTORE.toAbsolutePath().toString(),
                    "quarkus.tls.key-store.p12.password", PASSWORD,
                    "quarkus.http.insecure-requests", "disabled",
                    "quarkus.http.test-ssl-port", "0");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL main;

    @Test
    void aLoginOverHttpsSetsAHostPrefixedSecureSessionCookie() throws Exception {
        assertEquals("https", main.getProtocol());
        HttpClient http = HttpClient.newBuilder().sslContext(trusting()).build();
        String base = "https://localhost:" + main.getPort();
        assertEquals(401, send(http, HttpRequest.newBuilder(URI.create(base + "/api/peers")).GET()).statusCode(),
                "with a token, loopback needs it too");
        HttpResponse<String> login = send(http, HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + AccessFilterTest.TOKEN)));
        assertEquals(303, login.statusCode());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        System.out.println("TLS: Set-Cookie over HTTPS: " + setCookie.replaceAll("=[A-Za-z0-9_-]{43};", "=<session>;"));
        List<String> attributes = List.of(setCookie.split(";\\s*"));
        assertTrue(attributes.get(0).startsWith("__Host-wgmon-session-" + main.getPort() + "="), setCookie);
        assertFalse(attributes.get(0).contains(AccessFilterTest.TOKEN), "a session value, not the token");
        for (String attribute : new String[] {"Path=/", "Secure", "HTTPOnly", "SameSite=Strict"}) {
            assertTrue(attributes.stream().anyMatch(a -> a.equalsIgnoreCase(attribute)), attribute + " in " + setCookie);
        }
        assertTrue(attributes.stream().noneMatch(a -> a.toLowerCase(Locale.ROOT).startsWith("domain")), setCookie);

        String cookie = attributes.get(0);
        assertEquals(200, send(http, HttpRequest.newBuilder(URI.create(base + "/api/peers")).header("Cookie", cookie)
                .GET()).statusCode());
        assertEquals(303, send(http, HttpRequest.newBuilder(URI.create(base + "/logout")).header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        assertEquals(401, send(http, HttpRequest.newBuilder(URI.create(base + "/api/peers")).header("Cookie", cookie)
                .GET()).statusCode(), "logout ended the session");
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(KEYSTORE)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** A self-signed certificate for localhost and 127.0.0.1, made by the JDK's keytool. */
    static void makeKeystore() {
        try {
            if (Files.exists(KEYSTORE)) {
                return;
            }
            Files.createDirectories(KEYSTORE.getParent());
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "wgmon", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", KEYSTORE.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
