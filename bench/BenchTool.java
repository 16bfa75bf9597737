import com.sun.net.httpserver.HttpServer;

import java.io.PrintStream;
import java.io.FileOutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.KeyAgreement;

/**
 * bench/run.sh's helpers (java bench/BenchTool.java ...):
 *   receiver PORT FILE        webhook receiver: one line per event, "epoch-micros event publicKey"
 *   peers N FIRST_OCTET FILE  a wg config fragment of N peers with random public keys and
 *                             distinct /32 allowed IPs 10.FIRST_OCTET.x.y (wg addconf FILE)
 *   uapi-read SOCKET N        reads the full get=1 reply of a userspace WireGuard socket N times and
 *                             prints the median wall time in ms: the daemon's own share of a scan
 * and bench/scale.sh's:
 *   identities N FIRST_OCTET KEYS CONF
 *                             N real X25519 key pairs: KEYS gets "privateHex publicHex publicBase64"
 *                             a line, CONF a wg config fragment of them as peers, with distinct /32
 *                             allowed IPs 10.FIRST_OCTET.x.y
 *   drive SOCKETS KEYS SERVER_PUB_B64 ENDPOINT HANDSHAKES_PER_S CONNECTS_PER_S SECONDS LOG [HOLD [WARM_S WARM_CONNECTS_PER_S]]
 *                             makes handshakes through the client devices whose UAPI sockets are
 *                             listed (comma-separated): first each device takes an identity of KEYS
 *                             (a connect), all at once before the pacing starts, then, paced at
 *                             HANDSHAKES_PER_S (rekeys and connects together), every step re-adds the server peer on the
 *                             next device (a rekey: a new handshake of a connected peer), or, at
 *                             CONNECTS_PER_S while unused identities last, gives it the next
 *                             identity and a new listen port (a connect; the old identity falls
 *                             silent). HOLD seconds (1) after the last step every device drops its
 *                             server peer. The first WARM_S seconds connect at WARM_CONNECTS_PER_S
 *                             instead (the rekeys' rate the same). LOG: one line
 *                             per step, "epoch-micros rekey publicB64" or "epoch-micros connect publicB64
 *                             listenPort", and one per identity
 *                             that fell silent, "epoch-micros silent publicB64 lastHandshakeMicros"
 *   send PPS SECONDS HOST PORT [THREADS]
 *                             64-byte UDP datagrams to HOST:PORT, paced at PPS (0: as fast as it
 *                             can), from THREADS sockets; prints "sent N pps R"
 *   forge KIND PPS SECONDS HOST PORT [THREADS [FROM_PORT]]
 *                             datagrams that look like WireGuard's to the WireGuard port, from FROM_PORT
 *                             when given (e.g. a connected peer's endpoint its device has left): KIND
 *                             "handshakes" (a type 2, type 1, type 4 over and over from one source,
 *                             as ForgedPacketFloodIT), "initiations" (type 1, 148 bytes, from one
 *                             source: what the documented rule logs, bench/reader.sh's load), "rekeys"
 *                             (a type 1, then a type 4 with counter 0: what a client's rekey brings
 *                             through the documented rule) or "data"
 *                             (type 4 with a non-zero counter, the synthetic load an all-packets rule
 *                             logs and a handshake rule filters)
 */
public class BenchTool {
    private static final Pattern EVENT = Pattern.compile("\"event\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern KEY = Pattern.compile("\"publicKey\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "receiver" -> receiver(Integer.parseInt(args[1]), Path.of(args[2]));
            case "peers" -> peers(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            case "uapi-read" -> uapiRead(Path.of(args[1]), Integer.parseInt(args[2]));
            case "identities" -> identities(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]),
                    Path.of(args[4]));
            case "drive" -> drive(args[1].split(","), Path.of(args[2]), args[3], args[4], Double.parseDouble(args[5]),
                    Double.parseDouble(args[6]), Double.parseDouble(args[7]), Path.of(args[8]),
                    args.length > 9 ? Double.parseDouble(args[9]) : 1,
                    args.length > 11 ? Double.parseDouble(args[10]) : 0, args.length > 11 ? Double.parseDouble(args[11]) : 0);
            case "send" -> send(null, Double.parseDouble(args[1]), Double.parseDouble(args[2]), args[3],
                    Integer.parseInt(args[4]), args.length > 5 ? Integer.parseInt(args[5]) : 1, 0);
            case "forge" -> send(args[1], Double.parseDouble(args[2]), Double.parseDouble(args[3]), args[4],
                    Integer.parseInt(args[5]), args.length > 6 ? Integer.parseInt(args[6]) : 1,
                    args.length > 7 ? Integer.parseInt(args[7]) : 0);
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

    private static void identities(int count, int firstOctet, Path keys, Path conf) throws Exception {
        SecureRandom random = new SecureRandom();
        KeyFactory factory = KeyFactory.getInstance("X25519");
        PublicKey basePoint = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9)));
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        HexFormat hex = HexFormat.of();
        StringBuilder keyLines = new StringBuilder(count * 180);
        StringBuilder peers = new StringBuilder(count * 90);
        byte[] secret = new byte[32];
        for (int i = 0; i < count; i++) {
            random.nextBytes(secret);
            secret[0] &= (byte) 248;
            secret[31] &= 127;
            secret[31] |= 64;
            agreement.init(factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, secret)));
            agreement.doPhase(basePoint, true);
            byte[] pub = agreement.generateSecret();
            String pub64 = Base64.getEncoder().encodeToString(pub);
            keyLines.append(hex.formatHex(secret)).append(' ').append(hex.formatHex(pub)).append(' ').append(pub64).append('\n');
            peers.append("[Peer]\nPublicKey = ").append(pub64).append("\nAllowedIPs = 10.").append(firstOctet).append('.')
                .append(i / 250).append('.').append(i % 250 + 1).append("/32\n");
        }
        Files.writeString(keys, keyLines);
        Files.writeString(conf, peers);
    }

    private record Identity(String privateHex, String publicHex, String publicBase64) {
    }

    /** One client device: its UAPI socket, the identity it has, when that identity last handshook. */
    private static final class Client {
        final Path socket;
        Identity identity;
        long lastHandshakeMicros;
        int listenPort;

        Client(Path socket, int listenPort) {
            this.socket = socket;
            this.listenPort = listenPort;
        }
    }

    private static void drive(String[] sockets, Path keys, String serverPub64, String endpoint, double handshakesPerSecond,
                              double connectsPerSecond, double seconds, Path log, double holdSeconds,
                              double warmSeconds, double warmConnectsPerSecond) throws Exception {
        HexFormat hex = HexFormat.of();
        String serverHex = hex.formatHex(Base64.getDecoder().decode(serverPub64));
        List<Identity> pool = new ArrayList<>();
        for (String line : Files.readAllLines(keys)) {
            String[] f = line.split(" ");
            pool.add(new Identity(f[0], f[1], f[2]));
        }
        String peer = "public_key=" + serverHex + "\nendpoint=" + endpoint
                + "\nallowed_ip=10.10.10.1/32\npersistent_keepalive_interval=3600\n";
        List<Client> clients = new ArrayList<>();
        // above the ephemeral range (the senders' sockets take ports there); bench/scale.sh gives each port of
        // 61000-65535 a source address of its own (CLIENT_ADDRS)
        int nextPort = 61000;
        for (String socket : sockets) {
            clients.add(new Client(Path.of(socket), nextPort++));
        }
        int nextIdentity = 0;
        try (PrintStream out = new PrintStream(new FileOutputStream(log.toFile(), true), false, StandardCharsets.UTF_8)) {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            for (Client client : clients) {
                if (nextIdentity >= pool.size()) {
                    throw new IllegalStateException("no identity left for a first connect: " + pool.size() + " keys");
                }
                client.identity = pool.get(nextIdentity++);
                nextPort = connect(out, client, nextPort, peer);
            }
            // the warm-up's connects (WARM_CONNECTS_PER_S instead of CONNECTS_PER_S, the rekeys' rate unchanged) make
            // each event's code path run often enough to be compiled before the measured window
            long warmEnd = start + (long) (warmSeconds * 1e9);
            boolean warming = warmSeconds > 0;
            double connectRate = warming ? warmConnectsPerSecond : connectsPerSecond;
            long step = (long) (1e9 / (handshakesPerSecond - connectsPerSecond + connectRate));
            boolean connecting = connectRate > 0;
            long connectEvery = connecting ? (long) (1e9 / connectRate) : 0;
            long nextConnect = System.nanoTime() + connectEvery;
            long due = System.nanoTime() + step;
            int turn = 0;
            long steps = 0;
            while (due < end) {
                if (warming && System.nanoTime() >= warmEnd) {
                    warming = false;
                    step = (long) (1e9 / handshakesPerSecond);
                    connecting = connectsPerSecond > 0;
                    connectEvery = connecting ? (long) (1e9 / connectsPerSecond) : 0;
                    nextConnect = System.nanoTime() + connectEvery;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Client client = clients.get(turn);
                turn = (turn + 1) % clients.size();
                boolean connect = connecting && System.nanoTime() >= nextConnect && nextIdentity < pool.size();
                if (connect) {
                    silent(out, client);
                    nextConnect += connectEvery;
                    client.identity = pool.get(nextIdentity++);
                    nextPort = connect(out, client, nextPort, peer);
                } else {
                    long micros = nowMicros();
                    uapiSet(client.socket, "set=1\nreplace_peers=true\n" + peer + "\n");
                    client.lastHandshakeMicros = micros;
                    out.println(micros + " rekey " + client.identity.publicBase64());
                }
                steps++;
                due += step;
                if (due < System.nanoTime() - 1_000_000_000L) {
                    due = System.nanoTime(); // fell a second behind: the machine cannot keep the rate
                }
            }
            Thread.sleep((long) (holdSeconds * 1000)); // the last handshakes complete (or retry) before the peers go
            for (Client client : clients) {
                uapiSet(client.socket, "set=1\nreplace_peers=true\n\n");
                silent(out, client);
            }
            double took = (System.nanoTime() - start) / 1e9;
            System.out.printf("handshakes %d in %.1f s: %.1f/s; identities used %d of %d%n", steps, took, steps / took,
                    nextIdentity, pool.size());
        }
    }

    /** Gives the client its (new) identity's key and a new listen port; returns the next port to try. */
    private static int connect(PrintStream out, Client client, int nextPort, String peer) throws Exception {
        long micros = nowMicros();
        // a new port for the new identity; one taken by another socket (EADDRINUSE) is skipped
        while (true) {
            client.listenPort = nextPort;
            nextPort = nextPort == 65535 ? 61000 : nextPort + 1; // a port is free again once its device moved on
            String request = "set=1\nprivate_key=" + client.identity.privateHex() + "\nlisten_port=" + client.listenPort
                    + "\nreplace_peers=true\n" + peer + "\n";
            try {
                uapiSet(client.socket, request);
                break;
            } catch (IllegalStateException e) {
                if (!e.getMessage().endsWith("errno=-98")) {
                    throw e;
                }
            }
        }
        client.lastHandshakeMicros = micros;
        out.println(micros + " connect " + client.identity.publicBase64() + " " + client.listenPort);
        return nextPort;
    }

    private static void silent(PrintStream out, Client client) {
        out.println(nowMicros() + " silent " + client.identity.publicBase64() + " " + client.lastHandshakeMicros);
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static void uapiSet(Path socket, String request) throws Exception {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(256);
            while (reply.position() < 2 || reply.get(reply.position() - 1) != '\n' || reply.get(reply.position() - 2) != '\n') {
                if (channel.read(reply) < 0) {
                    break;
                }
            }
            String text = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
            if (!text.startsWith("errno=0")) {
                throw new IllegalStateException(socket + ": " + text.trim());
            }
        }
    }

    private static void send(String forged, double packetsPerSecond, double seconds, String host, int port, int threads,
                             int fromPort) throws Exception {
        InetSocketAddress target = new InetSocketAddress(host, port);
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread sender = new Thread(() -> {
                try (DatagramChannel channel = DatagramChannel.open()) {
                    if (fromPort != 0) {
                        channel.bind(new InetSocketAddress(fromPort));
                    }
                    List<ByteBuffer> datagrams = datagrams(forged);
                    double perThread = packetsPerSecond / threads;
                    long count = 0;
                    int next = 0;
                    while (true) {
                        long now = System.nanoTime();
                        if (now >= end) {
                            break;
                        }
                        // paced in 1 ms slices: the datagrams due by now, then a nap
                        long due = perThread > 0 ? (long) ((now - start) / 1e9 * perThread) : count + 64;
                        if (count >= due) {
                            LockSupport.parkNanos(1_000_000);
                            continue;
                        }
                        while (count < due) {
                            channel.send(datagrams.get(next).rewind(), target);
                            next = (next + 1) % datagrams.size();
                            count++;
                        }
                    }
                    sent.addAndGet(count);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        double took = (System.nanoTime() - start) / 1e9;
        System.out.printf("sent %d pps %.0f%n", sent.get(), sent.get() / took);
    }

    /** What send repeats: a plain 64-byte datagram, or ones that look like WireGuard's messages. */
    private static List<ByteBuffer> datagrams(String forged) {
        if (forged == null) {
            return List.of(ByteBuffer.allocate(64));
        }
        return switch (forged) {
            case "handshakes" -> List.of(message(2, 92), message(1, 148), message(4, 32));
            case "initiations" -> List.of(message(1, 148));
            case "rekeys" -> {
                ByteBuffer first = message(4, 32);
                first.putLong(8, 0); // counter 0: the first packet of the new session
                yield List.of(message(1, 148), first);
            }
            case "data" -> {
                ByteBuffer data = message(4, 64);
                data.put(8, (byte) 1); // counter 1: not the first packet of a session
                yield List.of(data);
            }
            default -> throw new IllegalArgumentException(forged);
        };
    }

    /** WireGuard's size for {@code type}: the type byte, three zero bytes, random rest. */
    private static ByteBuffer message(int type, int size) {
        byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes);
        bytes[0] = (byte) type;
        bytes[1] = 0;
        bytes[2] = 0;
        bytes[3] = 0;
        return ByteBuffer.wrap(bytes);
    }
}
