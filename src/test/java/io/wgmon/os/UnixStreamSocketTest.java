package io.wgmon.os;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unix socket the UAPI client talks through, against real sockets: each way a connect fails
 * carries the errno number connect(2) set, which is what tells a stale socket from a missing one.
 */
class UnixStreamSocketTest {
    private final LibC libc = LibC.load();

    @TempDir
    Path dir;

    @Test
    void aSocketFileNobodyListensOnIsRefused() throws Exception {
        Path stale = dir.resolve("wg0.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale), "closing a unix server socket leaves its file behind");

        assertEquals(Errno.ECONNREFUSED, connectFailure(stale).errno());
    }

    @Test
    void aMissingFileIsNoEntry() {
        OsException e = connectFailure(dir.resolve("absent.sock"));

        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().startsWith("connect(" + dir.resolve("absent.sock") + "): ENOENT"), e.getMessage());
    }

    @Test
    void aRegularFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("file.sock"), "not a socket");

        assertEquals(Errno.ECONNREFUSED, connectFailure(file).errno());
    }

    @Test
    void aPathLongerThanSunPathIsRefusedBeforeTheCall() {
        Path deep = dir.resolve("d".repeat(120) + ".sock");

        assertEquals(Errno.ENAMETOOLONG, connectFailure(deep).errno());
    }

    @Test
    void sendsAndReceivesAndSeesTheEndOfTheStream() throws Exception {
        Path path = dir.resolve("echo.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             UnixStreamSocket socket = UnixStreamSocket.open(libc)) {
            server.bind(UnixDomainSocketAddress.of(path));
            socket.connect(path, 2000);
            byte[] hello = "get=1\n\n".getBytes(StandardCharsets.US_ASCII);
            try (SocketChannel peer = server.accept()) {
                assertEquals(hello.length - 2, socket.send(hello, 2, 2000));
                ByteBuffer got = ByteBuffer.allocate(16);
                peer.read(got);
                assertEquals("t=1\n\n", new String(got.array(), 0, got.position(), StandardCharsets.US_ASCII));

                byte[] buffer = new byte[16];
                assertEquals(0, socket.receive(buffer, 50), "nothing sent: the receive timeout expires");
                peer.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                assertEquals(3, socket.receive(buffer, 2000));
                assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOf(buffer, 3));
            }
            assertEquals(-1, socket.receive(new byte[16], 2000), "the peer closed");
        }
    }

    @Test
    void receivesIntoNativeMemoryNoMoreThanAskedAndSeesTheEndOfTheStream() throws Exception {
        Path path = dir.resolve("native.sock");
        Pointer buffer = Memory.allocateDirect(jnr.ffi.Runtime.getRuntime(libc), 16);
        buffer.setMemory(0, 16, (byte) 9);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             UnixStreamSocket socket = UnixStreamSocket.open(libc)) {
            server.bind(UnixDomainSocketAddress.of(path));
            socket.connect(path, 2000);
            try (SocketChannel peer = server.accept()) {
                assertEquals(0, socket.receive(buffer, 16, 50), "nothing sent: the receive timeout expires");
                peer.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
                assertEquals(3, socket.receive(buffer, 3, 2000));
                byte[] got = new byte[5];
                buffer.get(0, got, 0, 5);
                assertArrayEquals(new byte[] {1, 2, 3, 9, 9}, got, "no byte written past the length asked");
                assertEquals(2, socket.receive(buffer, 16, 2000));
                buffer.get(0, got, 0, 2);
                assertArrayEquals(new byte[] {4, 5}, java.util.Arrays.copyOf(got, 2));
            }
            assertEquals(-1, socket.receive(buffer, 16, 2000), "the peer closed");
        }
    }

    private OsException connectFailure(Path path) {
        try (UnixStreamSocket socket = UnixStreamSocket.open(libc)) {
            return assertThrows(OsException.class, () -> socket.connect(path, 1000));
        }
    }
}
