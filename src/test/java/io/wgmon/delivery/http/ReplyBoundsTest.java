package io.wgmon.delivery.http;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.wgmon.delivery.TestEvents;
import io.wgmon.delivery.format.JsonPayloadFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sender reads a receiver's reply status and Retry-After, never its whole body: a real HTTP server
 * streams 300 MB (never held in memory on either side) and counts what it managed to write before the
 * sender closed the connection.
 */
@QuarkusTest
class ReplyBoundsTest {
    private static final long HUGE = 300L * 1024 * 1024;
    /** Socket buffers on both sides take some MiB before the writer blocks; far less than the body. */
    private static final long MOST_WRITTEN = 32L * 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final AtomicLong written = new AtomicLong();
    private final CountDownLatch writerDone = new CountDownLatch(1);

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void aChunked300MbOkIsAFailedAttemptAndIsNotReadWhole() throws Exception {
        URI url = server(200, -1, HUGE);
        ReceiverFailure failure = assertThrows(ReceiverFailure.class, () -> send(url));
        assertEquals("reply body over 8 KiB, discarded", failure.getMessage());
        assertTrue(writerDone.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the connection was closed");
        assertTrue(written.get() < MOST_WRITTEN, "the receiver wrote " + written.get() + " bytes");
    }

    @Test
    void anAnnounced300MbOkFailsBeforeReadingIt() throws Exception {
        URI url = server(200, HUGE, HUGE);
        ReceiverFailure failure = assertThrows(ReceiverFailure.class, () -> send(url));
        assertEquals("reply body over 8 KiB, discarded", failure.getMessage());
        assertTrue(writerDone.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the connection was closed");
        assertTrue(written.get() < MOST_WRITTEN, "the receiver wrote " + written.get() + " bytes");
    }

    @Test
    void aHuge503KeepsItsStatusAndRetryAfterAndIsNotReadWhole() throws Exception {
        URI url = server(503, -1, HUGE);
        ReceiverReply reply = send(url);
        assertEquals(503, reply.status());
        assertEquals("7", reply.retryAfter());
        assertTrue(writerDone.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the connection was closed");
        assertTrue(written.get() < MOST_WRITTEN, "the receiver wrote " + written.get() + " bytes");
    }

    @Test
    void aBodyUpToTheCapIsReadAndDiscarded() throws Exception {
        URI url = server(200, -1, ReplyReader.MAX_BODY);
        assertEquals(200, send(url).status());
        assertEquals(200, send(url).status(), "the connection stays usable");
        assertEquals(2L * ReplyReader.MAX_BODY, written.get());
    }

    private ReceiverReply send(URI url) {
        RestClientWebhookSender sender = new RestClientWebhookSender(Duration.ofSeconds(2), WAIT, "wgmon/test",
                WebhookTls.jvmTrustStore());
        closeables.add(sender);
        return sender.send(new ReceiverAddress(url, Map.of()), new JsonPayloadFormat().render(TestEvents.connected()),
                new DeliveryHeaders("peer.connected", "bounds-1", null)).await().atMost(WAIT);
    }

    /** Answers every request with {@code status} and {@code size} bytes, streamed in 64 KiB writes. */
    private URI server(int status, long announced, long size) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Retry-After", "7");
            exchange.sendResponseHeaders(status, announced < 0 ? 0 : announced);
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long left = size; left > 0; left -= block.length) {
                    int length = (int) Math.min(block.length, left);
                    out.write(block, 0, length);
                    written.addAndGet(length);
                }
            } catch (IOException closedByTheSender) {
                // expected for a huge body
            } finally {
                exchange.close();
                if (size == HUGE) {
                    writerDone.countDown();
                }
            }
        });
        server.start();
        closeables.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }
}
