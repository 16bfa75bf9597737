package io.wgmon.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real HTTP webhook receiver for live tests. Every request is recorded; the next N can be
 * answered with an error status to exercise retries. Made inside a namespace with
 * {@link #startIn(String)}, it listens on that namespace's loopback.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Delivery(Instant receivedAt, int status, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        /** Whether this is a JSON event of this type for the peer with this public key. */
        public boolean is(String event, String publicKey) {
            JsonNode json = json();
            return event.equals(json.get("event").asText())
                    && publicKey.equals(json.get("peer").get("publicKey").asText());
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 503;

    public WebhookReceiver() throws IOException {
        this(0);
    }

    /** A receiver on this loopback port (0: any free one), e.g. to come back where a stopped one was. */
    public WebhookReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static WebhookReceiver startIn(String namespace) throws Exception {
        return NetNs.call(namespace, WebhookReceiver::new);
    }

    public static WebhookReceiver startIn(String namespace, int port) throws Exception {
        return NetNs.call(namespace, () -> new WebhookReceiver(port));
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? failureStatus : 204;
        synchronized (deliveries) {
            deliveries.add(new Delivery(Instant.now(), status, headers, new String(body, StandardCharsets.UTF_8)));
            deliveries.notifyAll();
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** The next {@code count} requests get {@code status}. */
    public void failNext(int count, int status) {
        failureStatus = status;
        failuresLeft.set(count);
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Every request so far, failed ones included. */
    public List<Delivery> all() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /** Requests answered with 2xx. */
    public List<Delivery> accepted() {
        return all().stream().filter(d -> d.status() / 100 == 2).toList();
    }

    /** Waits for an accepted delivery matching the predicate; null when none came in time. */
    public Delivery await(Predicate<Delivery> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (deliveries) {
            while (true) {
                for (Delivery delivery : deliveries) {
                    if (delivery.status() / 100 == 2 && wanted.test(delivery)) {
                        return delivery;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                deliveries.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
