package io.wgmon.os;

import jnr.ffi.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A blocking {@code AF_UNIX} stream socket whose waits are bounded by SO_SNDTIMEO and SO_RCVTIMEO
 * (on a unix socket the send timeout also bounds a connect() that waits for a full backlog).
 * Every failure is an {@link OsException} with the errno number, so a caller tells a stale
 * socket (ECONNREFUSED) from a missing one (ENOENT) or a forbidden one (EACCES) by number.
 * Timeouts are written as the 64-bit {@code struct timeval} of x86_64 and aarch64.
 */
public final class UnixStreamSocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_SNDTIMEO = 21;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SUN_PATH_BYTES = 108;

    private final LibC libc;
    private final jnr.ffi.Runtime runtime;
    private final int fd;
    private boolean closed;

    private UnixStreamSocket(LibC libc, int fd) {
        this.libc = libc;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
        this.fd = fd;
    }

    /** @throws OsException when no socket can be made */
    public static UnixStreamSocket open(LibC libc) {
        int fd = libc.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new OsException(jnr.ffi.Runtime.getRuntime(libc).getLastError(), "socket(AF_UNIX)");
        }
        return new UnixStreamSocket(libc, fd);
    }

    /**
     * Connects to the socket file at {@code path}, waiting at most {@code timeoutMillis} for room
     * in its backlog.
     *
     * @throws OsException with the errno of connect(2): ECONNREFUSED when nobody listens on the
     *                     file, ENOENT when it is gone, EACCES when it may not be opened, EAGAIN
     *                     when the wait for the backlog timed out
     */
    public void connect(Path path, int timeoutMillis) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        String call = "connect(" + path + ")";
        if (name.length >= SUN_PATH_BYTES) {
            throw new OsException(Errno.ENAMETOOLONG, call);
        }
        byte[] address = new byte[2 + name.length + 1];
        ByteBuffer.wrap(address).order(ByteOrder.nativeOrder()).putShort((short) AF_UNIX).put(name);
        setTimeout(SO_SNDTIMEO, timeoutMillis);
        while (libc.connect(fd, address, address.length) < 0) {
            int errno = runtime.getLastError();
            if (errno != Errno.EINTR) {
                throw new OsException(errno, call);
            }
        }
    }

    /**
     * Sends what it can of {@code bytes[offset..]}, waiting at most {@code timeoutMillis}.
     *
     * @return the bytes sent, 0 when the wait timed out
     */
    public int send(byte[] bytes, int offset, int timeoutMillis) {
        setTimeout(SO_SNDTIMEO, timeoutMillis);
        byte[] rest = offset == 0 ? bytes : Arrays.copyOfRange(bytes, offset, bytes.length);
        long sent = libc.send(fd, rest, rest.length, MSG_NOSIGNAL);
        if (sent < 0) {
            return interruptedOrTimedOut("send");
        }
        return (int) sent;
    }

    /**
     * Receives into {@code buffer}, waiting at most {@code timeoutMillis}.
     *
     * @return the bytes received, 0 when the wait timed out, -1 at the end of the stream
     */
    public int receive(byte[] buffer, int timeoutMillis) {
        setTimeout(SO_RCVTIMEO, timeoutMillis);
        long received = libc.recv(fd, buffer, buffer.length, 0);
        if (received < 0) {
            return interruptedOrTimedOut("recv");
        }
        return received == 0 ? -1 : (int) received;
    }

    /**
     * Receives at most {@code length} bytes into native memory at {@code buffer}, waiting at most
     * {@code timeoutMillis}: no Java array copied in and out around the call.
     *
     * @return the bytes received, 0 when the wait timed out, -1 at the end of the stream
     */
    public int receive(Pointer buffer, int length, int timeoutMillis) {
        setTimeout(SO_RCVTIMEO, timeoutMillis);
        long received = libc.recv(fd, buffer, length, 0);
        if (received < 0) {
            return interruptedOrTimedOut("recv");
        }
        return received == 0 ? -1 : (int) received;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            libc.close(fd);
        }
    }

    private int interruptedOrTimedOut(String call) {
        int errno = runtime.getLastError();
        if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
            return 0;
        }
        throw new OsException(errno, call);
    }

    /** {@code millis} must be positive: a zero timeval would mean "wait forever". */
    private void setTimeout(int option, int millis) {
        byte[] timeval = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                .putLong(millis / 1000).putLong((millis % 1000) * 1000L).array();
        if (libc.setsockopt(fd, SOL_SOCKET, option, timeval, timeval.length) < 0) {
            throw new OsException(runtime.getLastError(), "setsockopt(" + (option == SO_RCVTIMEO ? "SO_RCVTIMEO" : "SO_SNDTIMEO") + ")");
        }
    }
}
