package io.wgmon.wireguard.uapi;

import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.ThreadCapabilities;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.wgmon.wireguard.uapi.UapiFixtures.ascii;
import static io.wgmon.wireguard.uapi.UapiFixtures.wireguardGoReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against real unix sockets in a temporary directory, served by small daemons that
 * answer like wireguard-go, hang, stop early or never stop. The real wireguard-go is in
 * {@link UapiWireGuardClientLiveTest}.
 */
class UapiWireGuardClientTest {
    @TempDir
    Path dir;

    private final List<ServerSocketChannel> servers = new ArrayList<>();

    @AfterEach
    void closeServers() throws IOException {
        for (ServerSocketChannel server : servers) {
            server.close();
        }
    }

    @Test
    void readsADeviceSentInSmallPiecesWithoutWaitingForTheConnectionToClose() throws Exception {
        CompletableFuture<String> request = new CompletableFuture<>();
        CompletableFuture<Boolean> clientClosed = serve("wg0", connection -> {
            request.complete(readRequest(connection));
            byte[] reply = ascii(wireguardGoReply());
            for (int offset = 0; offset < reply.length; offset += 7) {
                connection.write(ByteBuffer.wrap(reply, offset, Math.min(7, reply.length - offset)));
            }
            // like wireguard-go, keep the connection open for a next request: the blank line ends the reply
            return connection.read(ByteBuffer.allocate(1)) < 0;
        });

        Device device = client(Duration.ofSeconds(5)).device("wg0");

        assertEquals(UapiReplyParser.parse("wg0", ascii(wireguardGoReply())), device);
        assertEquals(3, device.peers().size());
        assertEquals("get=1\n\n", request.get(5, TimeUnit.SECONDS));
        assertTrue(clientClosed.get(5, TimeUnit.SECONDS), "the client closes its connection");
    }

    @Test
    void aDaemonThatNeverAnswersTimesOut() throws Exception {
        serve("wg0", connection -> {
            readRequest(connection);
            Thread.sleep(30_000);
            return null;
        });
        long start = System.nanoTime();

        WireGuardException e = assertThrows(WireGuardException.class,
                () -> client(Duration.ofMillis(300)).device("wg0"));

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 250 && millis < 3000, "took " + millis + " ms");
        assertEquals(Reason.TIMEOUT, e.reason());
        assertTrue(e.getMessage().contains("within PT0.3S") && e.getMessage().contains(dir.resolve("wg0.sock").toString()),
                e.getMessage());
    }

    @Test
    void aDaemonThatStopsMidReplyIsAProtocolError() throws Exception {
        serve("wg0", connection -> {
            readRequest(connection);
            byte[] reply = ascii(wireguardGoReply());
            connection.write(ByteBuffer.wrap(reply, 0, reply.length / 2));
            return null;
        });

        WireGuardException e = assertThrows(WireGuardException.class,
                () -> client(Duration.ofSeconds(5)).device("wg0"));

        assertEquals(Reason.MALFORMED_REPLY, e.reason());

        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aReplyLargerThanTheLimitIsRefused() throws Exception {
        serve("wg0", connection -> {
            readRequest(connection);
            ByteBuffer lines = ByteBuffer.wrap(ascii("future_key=1\n".repeat(1000)));
            while (true) {
                connection.write(lines.rewind());
            }
        });

        WireGuardException e = assertThrows(WireGuardException.class,
                () -> new UapiWireGuardClient(dir, Duration.ofSeconds(5), new ReplyLimits(1 << 20, 1000, 1000)).device("wg0"));

        assertTrue(e.getMessage().contains("exceeds 1048576 bytes"), e.getMessage());
    }

    @Test
    void readsTheSameDeviceAgainAfterItsPeersChangedMovedOrMultiplied() throws Exception {
        String original = wireguardGoReply();
        String changed = peersReversed(original).replace("last_handshake_time_sec=1795656630", "last_handshake_time_sec=1795656750");
        String grown = original.replace("errno=0\n", manyPeers(400) + "errno=0\n");
        List<String> replies = List.of(original, original, changed, grown, grown, original);
        serveEach("wg0", replies);
        UapiWireGuardClient client = client(Duration.ofSeconds(5));

        for (String reply : replies) {
            assertEquals(UapiReplyParser.parse("wg0", ascii(reply)), client.device("wg0"));
        }
    }

    @Test
    void aReplyLargerThanHalfTheByteLimitIsParsedAsItArrives() throws Exception {
        // larger than the first reply buffer (64 KiB), so that part of it is held when it passes the half
        String reply = wireguardGoReply().replace("errno=0\n", manyPeers(400) + "errno=0\n");
        assertTrue(reply.length() > 100_000 && reply.length() < 200_000, "bytes: " + reply.length());
        serveEach("wg0", List.of(reply, reply));
        UapiWireGuardClient client = new UapiWireGuardClient(dir, Duration.ofSeconds(5), new ReplyLimits(200_000, 1000, 1000));

        assertEquals(UapiReplyParser.parse("wg0", ascii(reply)), client.device("wg0"));
        assertEquals(UapiReplyParser.parse("wg0", ascii(reply)), client.device("wg0"));
    }

    @Test
    void aReplyOfManyReceivesWrittenAtOnceIsReadWholeEveryTime() throws Exception {
        // as wireguard-go writes it: one write of the whole reply, several times one receive's 256 KiB
        String reply = wireguardGoReply().replace("errno=0\n", manyPeers(4000) + "errno=0\n");
        String changed = reply.replace("tx_bytes=3999\n", "tx_bytes=4000\n");
        assertTrue(reply.length() > 3 * 256 * 1024, "bytes: " + reply.length());
        List<String> replies = List.of(reply, reply, changed);
        serveEachAtOnce("wg0", replies);
        UapiWireGuardClient client = client(Duration.ofSeconds(10));

        for (String text : replies) {
            assertEquals(UapiReplyParser.parse("wg0", ascii(text)), client.device("wg0"));
        }
    }

    /** The reply with its peers in reverse order, as wireguard-go may list them from one read to the next. */
    private static String peersReversed(String reply) {
        int first = reply.indexOf("public_key=");
        int errno = reply.lastIndexOf("errno=");
        List<String> blocks = new ArrayList<>();
        for (int at = first; at < errno; ) {
            int next = reply.indexOf("public_key=", at + 1);
            int end = next < 0 || next > errno ? errno : next;
            blocks.add(reply.substring(at, end));
            at = end;
        }
        StringBuilder reversed = new StringBuilder(reply.substring(0, first));
        for (int i = blocks.size() - 1; i >= 0; i--) {
            reversed.append(blocks.get(i));
        }
        return reversed.append(reply.substring(errno)).toString();
    }

    private static String manyPeers(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("public_key=").append(String.format("%064x", 1000 + i)).append('\n')
                    .append("preshared_key=").append(String.format("%064x", 7_000_000 + i)).append('\n')
                    .append("protocol_version=1\n")
                    .append("endpoint=192.0.2.").append(i % 250).append(":").append(1000 + i).append('\n')
                    .append("last_handshake_time_sec=").append(1795656000 + i).append('\n')
                    .append("last_handshake_time_nsec=0\ntx_bytes=").append(i).append("\nrx_bytes=").append(2 * i).append('\n')
                    .append("persistent_keepalive_interval=25\n")
                    .append("allowed_ip=10.99.").append(i / 250).append('.').append(i % 250).append("/32\n");
        }
        return text.toString();
    }

    @Test
    void aSocketNobodyListensOnIsStale() throws Exception {
        Path socket = dir.resolve("wg0.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "closing a unix server socket leaves its file behind");

        WireGuardException e = assertThrows(WireGuardException.class,
                () -> client(Duration.ofSeconds(5)).device("wg0"));

        assertEquals(Reason.NO_SUCH_DEVICE, e.reason());

        assertTrue(e.getMessage().contains("stale") && e.getMessage().contains(socket.toString()), e.getMessage());
    }

    @Test
    void aMissingSocketOrABadNameIsNotFound() {
        UapiWireGuardClient client = client(Duration.ofSeconds(5));

        for (String name : List.of("wg0", "../wg0", "", "..")) {
            assertEquals(Reason.NO_SUCH_DEVICE, assertThrows(WireGuardException.class, () -> client.device(name)).reason(), name);
        }
    }

    @Test
    void aSocketPathThatIsNotASocketIsAnErrorNamingThePath() throws Exception {
        Files.writeString(dir.resolve("wg0.sock"), "not a socket");

        WireGuardException e = assertThrows(WireGuardException.class, () -> client(Duration.ofSeconds(5)).device("wg0"));

        assertTrue(e.getMessage().contains(dir.resolve("wg0.sock").toString()), e.getMessage());
    }

    @Test
    void aSocketThisProcessMayNotOpenSaysToRunAsRoot() throws Exception {
        LivePrerequisites.require();
        serve("wg0", connection -> null);
        Path socket = dir.resolve("wg0.sock");
        Files.setOwner(socket, socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwx------"));

        // what a non-root wgmon meets: no DAC override, and a 0700 socket it does not own
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                ThreadCapabilities.dropEffective(CAP_DAC_OVERRIDE);
                ThreadCapabilities.dropEffective(CAP_DAC_READ_SEARCH);
                outcome.complete(client(Duration.ofSeconds(2)).device("wg0"));
            } catch (Throwable thrown) {
                outcome.complete(thrown);
            }
        }, "uapi-without-dac-override");
        thread.setDaemon(true);
        thread.start();

        WireGuardException e = assertInstanceOf(WireGuardException.class, outcome.get(10, TimeUnit.SECONDS));
        assertEquals(Reason.PERMISSION_DENIED, e.reason(), "a socket we may not open is not a missing device");
        assertTrue(e.getMessage().contains("permission denied") && e.getMessage().contains("run wgmon as uid 0"),
                e.getMessage());
    }

    @Test
    void listsTheSocketsInTheDirectory() throws Exception {
        serve("wgb", connection -> null);
        serve("wga", connection -> null);
        serve("", connection -> null);
        Files.writeString(dir.resolve("wgc.sock"), "a regular file, not a socket");
        Files.writeString(dir.resolve("notes.txt"), "");
        Files.createDirectory(dir.resolve("wgd.sock.d"));

        assertEquals(List.of("wga", "wgb"), client(Duration.ofSeconds(1)).interfaceNames());
    }

    @Test
    void looksUpOnlyTheNamedSocketsAmongTheWatchedNames() throws Exception {
        serve("wgb", connection -> null);
        serve("wga", connection -> null);
        serve("other", connection -> null);
        Files.writeString(dir.resolve("wgc.sock"), "a regular file, not a socket");
        Files.createDirectory(dir.resolve("wgd.sock"));

        assertEquals(List.of("wga", "wgb"), client(Duration.ofSeconds(1))
                .interfaceNames(Set.of("wgb", "wga", "wgc", "wgd", "wge", "", ".", "..", "a/b")));
    }

    @Test
    void aMissingDirectoryHasNoneOfTheWatchedInterfaces() throws Exception {
        UapiWireGuardClient client = new UapiWireGuardClient(dir.resolve("absent"), Duration.ofSeconds(1), ReplyLimits.forThisHeap());

        assertEquals(List.of(), client.interfaceNames(Set.of("wg0")));
    }

    @Test
    void aMissingDirectoryHasNoInterfaces() throws Exception {
        UapiWireGuardClient client = new UapiWireGuardClient(dir.resolve("absent"), Duration.ofSeconds(1), ReplyLimits.forThisHeap());

        assertEquals(List.of(), client.interfaceNames());
        assertEquals("userspace", client.backendName());
    }

    private static final int CAP_DAC_OVERRIDE = 1;
    private static final int CAP_DAC_READ_SEARCH = 2;

    private UapiWireGuardClient client(Duration timeout) {
        return new UapiWireGuardClient(dir, timeout, ReplyLimits.forThisHeap());
    }

    interface Daemon<T> {
        T handle(SocketChannel connection) throws Exception;
    }

    /** Serves one connection per reply on {@code <dir>/<name>.sock}, each reply in pieces of 1,000 bytes. */
    private void serveEach(String name, List<String> replies) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve(name + ".sock")));
        servers.add(server);
        Thread thread = new Thread(() -> {
            for (String text : replies) {
                try (SocketChannel connection = server.accept()) {
                    readRequest(connection);
                    byte[] reply = ascii(text);
                    for (int offset = 0; offset < reply.length; offset += 1000) {
                        connection.write(ByteBuffer.wrap(reply, offset, Math.min(1000, reply.length - offset)));
                    }
                    connection.read(ByteBuffer.allocate(1));
                } catch (IOException e) {
                    return;
                }
            }
        }, "uapi-daemon-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Serves one connection per reply on {@code <dir>/<name>.sock}, each reply in one write. */
    private void serveEachAtOnce(String name, List<String> replies) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve(name + ".sock")));
        servers.add(server);
        Thread thread = new Thread(() -> {
            for (String text : replies) {
                try (SocketChannel connection = server.accept()) {
                    readRequest(connection);
                    ByteBuffer reply = ByteBuffer.wrap(ascii(text));
                    while (reply.hasRemaining()) {
                        connection.write(reply);
                    }
                    connection.read(ByteBuffer.allocate(1));
                } catch (IOException e) {
                    return;
                }
            }
        }, "uapi-daemon-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Serves one connection on {@code <dir>/<name>.sock} on a daemon thread. */
    private <T> CompletableFuture<T> serve(String name, Daemon<T> daemon) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve(name + ".sock")));
        servers.add(server);
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (SocketChannel connection = server.accept()) {
                result.complete(daemon.handle(connection));
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        }, "uapi-daemon-" + name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private static String readRequest(SocketChannel connection) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        while (buffer.position() < 2 || buffer.get(buffer.position() - 1) != '\n' || buffer.get(buffer.position() - 2) != '\n') {
            if (connection.read(buffer) < 0 || !buffer.hasRemaining()) {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }
}
