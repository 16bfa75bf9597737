package io.wgmon.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium inside a namespace, driven over the DevTools protocol: a WebSocket
 * (RFC 6455, written out here over a socket opened inside the namespace, since the JDK's HttpClient
 * opens its sockets on a thread of its own, outside it) to one page. Calls are synchronous; events
 * the browser sends between replies are read past.
 */
public final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextId = 1;

    private Chromium(Process process, Path profile, Socket socket) throws IOException {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Starts Chromium in the namespace and opens a session to a new blank page. */
    public static Chromium startIn(String namespace, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("wgmon-chromium-");
        int port = ThreadLocalRandom.current().nextInt(20000, 30000);
        Process process = new ProcessBuilder("ip", "netns", "exec", namespace, "chromium", "--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=" + port,
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            String pageSocket = NetNs.call(namespace, () -> awaitPage(port, process));
            URI uri = URI.create(pageSocket);
            Socket socket = NetNs.call(namespace, () -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), 5000);
                return s;
            });
            Chromium chromium = new Chromium(process, profile, socket);
            chromium.handshake(uri);
            chromium.call("Page.enable", JSON.createObjectNode());
            return chromium;
        } catch (Exception e) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            throw new IllegalStateException(e + "\n" + Files.readString(profile.resolve("chromium.log")), e);
        }
    }

    private static String awaitPage(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/json/list").openConnection();
                connection.setConnectTimeout(500);
                JsonNode targets = JSON.readTree(connection.getInputStream());
                for (JsonNode target : targets) {
                    if (target.path("type").asText().equals("page")) {
                        return target.get("webSocketDebuggerUrl").asText();
                    }
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Chromium's DevTools did not answer on port " + port);
    }

    private void handshake(URI uri) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + uri.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("DevTools closed during the WebSocket handshake");
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("DevTools refused the WebSocket: " + head);
        }
    }

    /** Calls a DevTools method; returns its result, or fails with its error. */
    public JsonNode call(String method, ObjectNode params) throws IOException {
        int id = nextId++;
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        send(JSON.writeValueAsBytes(message));
        while (true) {
            JsonNode reply = JSON.readTree(receive());
            if (reply.path("id").asInt(-1) == id) {
                if (reply.has("error")) {
                    throw new IOException(method + ": " + reply.get("error"));
                }
                return reply.get("result");
            }
        }
    }

    /** Evaluates a JavaScript expression in the page (promises awaited); returns its value. */
    public JsonNode evaluate(String expression) throws IOException {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IOException("the page threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    public void navigate(String url) throws IOException {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** Waits until the expression is true in the page; false when the time is up. */
    public boolean await(String expression, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (evaluate(expression).asBoolean(false)) {
                    return true;
                }
            } catch (IOException navigating) {
                // the page is being replaced; try again
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The viewport as a phone or a desktop has it. */
    public void viewport(int width, int height, boolean mobile) throws IOException {
        call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", mobile));
    }

    public void screenshot(Path file) throws IOException {
        JsonNode shot = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    private void send(byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81); // FIN, text
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** One whole message (fragments joined); control frames are read past. */
    private byte[] receive() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) length);
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            int opcode = first & 0x0f;
            if (opcode == 0x8) {
                throw new IOException("DevTools closed the WebSocket");
            }
            if (opcode >= 0x8) {
                continue; // ping, pong
            }
            message.write(payload);
            if ((first & 0x80) != 0) {
                return message.toByteArray();
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            socket.close();
        } finally {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            try (Stream<Path> files = Files.walk(profile)) {
                List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
                all.forEach(path -> path.toFile().delete());
            }
        }
    }
}
