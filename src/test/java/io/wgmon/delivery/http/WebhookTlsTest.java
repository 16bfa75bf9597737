package io.wgmon.delivery.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.config.TestWgmonConfig;
import io.wgmon.delivery.LogCapture;
import io.wgmon.delivery.TestEvents;
import io.wgmon.delivery.WebhookDispatcherProducer;
import io.wgmon.delivery.format.JsonPayloadFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS receivers on 127.0.0.1 with certificates from a test CA made by keytool: unknown to the JVM trust
 * store, trusted with {@code tls.ca-file}, refused for the wrong host name, and anything goes with
 * {@code tls.insecure-skip-verify}.
 */
@QuarkusTest
class WebhookTlsTest {
    private static final char[] PASSWORD = "test-pass".toCharArray();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path certs;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final AtomicInteger received = new AtomicInteger();

    @BeforeAll
    static void makeCertificates() throws Exception {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=wgmon test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
        serverKeystore("right", "san=ip:127.0.0.1");
        serverKeystore("wrong", "san=dns:receiver.example.org");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void aCertificateFromAnUnknownCaIsRefusedByDefault() throws Exception {
        URI url = httpsReceiver("right");
        RestClientWebhookSender sender = sender(WebhookTls.jvmTrustStore());
        assertTlsFailure(assertThrows(RuntimeException.class, () -> send(sender, url)));
        assertEquals(0, received.get());
    }

    @Test
    void theCaFileIsTrustedAndTheHostNameStillChecked() throws Exception {
        RestClientWebhookSender sender = sender(WebhookTls.withCaFile(certs.resolve("ca.pem")));
        assertEquals(200, send(sender, httpsReceiver("right")));
        assertEquals(1, received.get());
        assertTlsFailure(assertThrows(RuntimeException.class, () -> send(sender, httpsReceiver("wrong")),
                "a certificate for another host name"));
        assertEquals(1, received.get());
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificateAndIsLoggedAtStart() throws Exception {
        RestClientWebhookSender sender = sender(WebhookTls.insecure());
        assertEquals(200, send(sender, httpsReceiver("right")));
        assertEquals(200, send(sender, httpsReceiver("wrong")));

        try (LogCapture log = LogCapture.warningsOf(WebhookDispatcherProducer.class)) {
            WebhookTls tls = WebhookDispatcherProducer.tls(TestWgmonConfig.of(
                    Map.of("wgmon.webhook.tls.insecure-skip-verify", "true")).webhook().tls());
            assertTrue(tls.isInsecure());
            assertEquals(1, log.warningsContaining("wgmon.webhook.tls.insecure-skip-verify=true").size());
        }
    }

    @Test
    void aCaFileWithoutCertificatesIsAClearError() throws IOException {
        Path empty = Files.writeString(certs.resolve("empty.pem"), "no certificate here\n");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> WebhookTls.withCaFile(empty));
        assertTrue(error.getMessage().startsWith("wgmon.webhook.tls.ca-file=" + empty), error.getMessage());
    }

    /** The sender hands on a description, not the exception (its causes may carry the URL): it must name TLS's. */
    private static void assertTlsFailure(Throwable failure) {
        assertTrue(failure instanceof ReceiverFailure, failure.toString());
        assertTrue(failure.getMessage().contains("SSLHandshakeException"), failure.getMessage());
    }

    private int send(RestClientWebhookSender sender, URI url) {
        return sender.send(new ReceiverAddress(url, Map.of()), new JsonPayloadFormat().render(TestEvents.connected()),
                new DeliveryHeaders("peer.connected", "tls-1", null)).await().atMost(WAIT).status();
    }

    private RestClientWebhookSender sender(WebhookTls tls) {
        RestClientWebhookSender sender = new RestClientWebhookSender(Duration.ofSeconds(2), Duration.ofSeconds(5),
                "wgmon/test", tls);
        closeables.add(sender);
        return sender;
    }

    private URI httpsReceiver(String keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.resolve(keystore + ".p12"))) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                received.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        closeables.add(() -> server.stop(0));
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    private static void serverKeystore(String name, String subjectAlternativeName) throws Exception {
        String keystore = name + ".p12";
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=wgmon test receiver", "-validity", "2", "-keystore", keystore);
        keytool("-certreq", "-alias", "server", "-keystore", keystore, "-file", name + ".csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", name + ".csr", "-outfile",
                name + ".pem", "-rfc", "-validity", "2", "-ext", subjectAlternativeName, "-ext", "eku=serverAuth");
        keytool("-importcert", "-alias", "ca", "-keystore", keystore, "-file", "ca.pem", "-noprompt");
        keytool("-importcert", "-alias", "server", "-keystore", keystore, "-file", name + ".pem");
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
        Process keytool = new ProcessBuilder(command).directory(certs.toFile()).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), String.join(" ", command) + ": " + output);
    }
}
