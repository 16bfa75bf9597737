package io.wgmon.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.queue.QueueCore;
import io.wgmon.delivery.http.ReceiverFailure;
import io.wgmon.delivery.http.RestClientWebhookSender;
import io.wgmon.delivery.http.WebhookTls;
import io.wgmon.store.PeerStateChanges;
import io.wgmon.timing.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slack, Discord, Telegram and others keep their credential in the URL's path or query: no failure of a
 * delivery may print them. Real failures only: a server that never answers, a port nobody listens on, a
 * TLS handshake with a server that speaks plain HTTP.
 */
@QuarkusTest
class ReceiverSecretsInLogsTest {
    private static final String SECRET = "/services/T000/B000/SUPERSECRETPATHTOKEN?token=QUERYSECRET";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void aTimeoutIsNoReplyWithinTAndNamesNoSecret() throws Exception {
        int port = silentServer();
        String line = firstFailureLogged(URI.create("http://127.0.0.1:" + port + SECRET));
        assertTrue(line.contains("(attempt 1: no reply within 300 ms)"), line);
        assertTrue(line.contains("http://127.0.0.1:" + port), "named by scheme://host:port: " + line);
        assertNoSecret(line);
    }

    @Test
    void aRefusedConnectionNamesNoSecret() throws Exception {
        int port = FreePort.pick();
        String line = firstFailureLogged(URI.create("http://127.0.0.1:" + port + SECRET));
        assertTrue(line.contains("Connection refused"), line);
        assertNoSecret(line);
    }

    @Test
    void aTlsFailureNamesNoSecret() throws Exception {
        int port = plainHttpServer();
        String line = firstFailureLogged(URI.create("https://127.0.0.1:" + port + SECRET));
        assertTrue(line.contains("SSL"), line);
        assertNoSecret(line);
    }

    /** The message issue 19 saw at WARN: Vert.x's own timeout names the request line, path and query. */
    @Test
    void vertxsOwnTimeoutMessageIsScrubbed() throws Exception {
        int port = silentServer();
        URI url = URI.create("http://127.0.0.1:" + port + SECRET);
        HttpClient http = DispatcherFixture.vertx().createHttpClient();
        closeables.add(() -> http.close());
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString()).setTimeout(200))
                .compose(request -> request.send("{}"))
                .onComplete(result -> failed.complete(result.cause()));
        Throwable vertx = failed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        String raw = ReceiverFailure.describe(vertx);
        assertTrue(raw.contains("SUPERSECRETPATHTOKEN"), "the input must carry the secret to prove anything: " + raw);

        String scrubbed = ReceiverFailure.of(vertx, url).getMessage();
        assertNoSecret(scrubbed);
        assertTrue(scrubbed.contains("200ms"), scrubbed);
    }

    private String firstFailureLogged(URI url) throws Exception {
        RestClientWebhookSender sender = new RestClientWebhookSender(Duration.ofMillis(500), Duration.ofMillis(300),
                "wgmon/test", WebhookTls.jvmTrustStore());
        closeables.add(sender);
        try (LogCapture log = LogCapture.warningsOf(QueueCore.class)) {
            WebhookDispatcher dispatcher = new WebhookDispatcher(
                    DispatcherFixture.byUrl(List.of(url), new JsonPayloadFormat(), Optional.empty()),
                    DispatcherFixture.memoryPolicy(10, new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(30),
                            new Random()), DispatcherFixture.realTime()), Optional.empty(), DispatcherFixture.contexts(),
                    sender, registry);
            closeables.add(dispatcher);
            dispatcher.commit(List.of(TestEvents.connected()), PeerStateChanges.NONE);
            Await.until("a failed attempt logged", WAIT, () -> !log.warningsContaining("failed (attempt 1").isEmpty());
            List<String> lines = log.warnings();
            lines.forEach(ReceiverSecretsInLogsTest::assertNoSecret);
            return log.warningsContaining("failed (attempt 1").get(0);
        }
    }

    private static void assertNoSecret(String line) {
        assertFalse(line.contains("SUPERSECRETPATHTOKEN"), line);
        assertFalse(line.contains("QUERYSECRET"), line);
        assertFalse(line.contains("/services/"), line);
    }

    /** Accepts, reads the request and never answers. */
    private int silentServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        List<Socket> held = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    synchronized (held) {
                        held.add(socket);
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
        closeables.add(() -> {
            server.close();
            synchronized (held) {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        });
        return server.getLocalPort();
    }

    /** Answers whatever comes, a TLS ClientHello included, with a plain HTTP 400. */
    private int plainHttpServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    in.read(new byte[4096]);
                    OutputStream out = socket.getOutputStream();
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    if (server.isClosed()) {
                        return;
                    }
                }
            }
        }, "plain-http-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
        closeables.add(server);
        return server.getLocalPort();
    }
}
