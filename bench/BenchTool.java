import com.sun.net.httpserver.HttpServer;

import java.io.PrintStream;
import java.io.FileOutputStream;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/run.sh's helpers (java bench/BenchTool.java ...):
 *   receiver PORT FILE        webhook receiver: one line per event, "epoch-micros event publicKey"
 *   peers N FIRST_OCTET FILE  a wg config fragment of N peers with random public keys and
 *                             distinct /32 allowed IPs 10.FIRST_OCTET.x.y (wg addconf FILE)
 *   uapi-read SOCKET N        reads the full get=1 reply of a userspace WireGuard socket N times and
 *                             prints the median wall time in ms: the daemon's own share of a scan
 */
public class BenchTool {
    private static final Pattern EVENT = Pattern.compile("\"event\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern KEY = Pattern.compile("\"publicKey\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "receiver" -> receiver(Integer.parseInt(args[1]), Path.of(args[2]));
            case "peers" -> peers(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            case "uapi-read" -> uapiRead(Path.of(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void receiver(int port, Path file) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", exchange -> {
            Instant arrived = Instant.now();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            long micros = arrived.getEpochSecond() * 1_000_000L + arrived.getNano() / 1_000;
            out.println(micros + " " + group(EVENT, body) + " " + group(KEY, body));
        });
        server.start();
        System.out.println("receiver listening on " + port);
    }

    private static String group(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        return m.find() ? m.group(1) : "-";
    }

    private static void uapiRead(Path socket, int times) throws Exception {
        long[] nanos = new long[times];
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                channel.write(ByteBuffer.wrap("get=1\n\n".getBytes(StandardCharsets.US_ASCII)));
                // the reply ends with "errno=N\n\n"; wireguard-go then keeps the connection open
                byte[] tail = new byte[2];
                while (tail[0] != '\n' || tail[1] != '\n') {
                    buffer.clear();
                    int read = channel.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    if (read >= 2) {
                        tail[0] = buffer.get(read - 2);
                        tail[1] = buffer.get(read - 1);
                    } else if (read == 1) {
                        tail[0] = tail[1];
                        tail[1] = buffer.get(0);
                    }
                }
            }
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        System.out.printf("%.2f%n", nanos[times / 2] / 1e6);
    }

    private static void peers(int count, int firstOctet, Path file) throws Exception {
        SecureRandom random = new SecureRandom();
        StringBuilder conf = new StringBuilder(count * 90);
        byte[] key = new byte[32];
        for (int i = 0; i < count; i++) {
            random.nextBytes(key);
            conf.append("[Peer]\nPublicKey = ").append(Base64.getEncoder().encodeToString(key))
                .append("\nAllowedIPs = 10.").append(firstOctet).append('.').append(i / 250).append('.')
                .append(i % 250 + 1).append("/32\n");
        }
        Files.writeString(file, conf);
    }
}
