package io.wgmon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Waits in poll(2) until a descriptor is readable or another thread calls {@link #wake()}, so
 * an idle reader sleeps in the kernel and an owner's close() can end the wait at once. Owns an
 * eventfd; the owner keeps its own closed flag and lock, and calls {@link #close()} only after
 * the waiting thread has left.
 */
public final class ReadinessWaiter implements AutoCloseable {
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final short POLLIN = 1;
    private static final int POLLFD_BYTES = 8;
    private static final int REVENTS_OFFSET = 6;

    private final LibC libc;
    private final jnr.ffi.Runtime runtime;
    private final int wakeFd;

    private ReadinessWaiter(LibC libc, int wakeFd) {
        this.libc = libc;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
        this.wakeFd = wakeFd;
    }

    /** @throws NetlinkException when the eventfd cannot be created */
    public static ReadinessWaiter open(LibC libc) {
        int wakeFd = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (wakeFd < 0) {
            throw NetlinkSocket.failure(libc, "eventfd", jnr.ffi.Runtime.getRuntime(libc).getLastError());
        }
        return new ReadinessWaiter(libc, wakeFd);
    }

    /**
     * Blocks until {@code fd} is readable (or has an error condition that the next read
     * reports), or until {@link #wake()} was called.
     *
     * @return true when {@code fd} is ready, false when woken (a wake-up wins over readiness)
     * @throws NetlinkException when poll fails with anything but EINTR
     */
    public boolean awaitReadable(int fd) {
        byte[] pollFds = ByteBuffer.allocate(2 * POLLFD_BYTES).order(ByteOrder.nativeOrder())
                .putInt(fd).putShort(POLLIN).putShort((short) 0)
                .putInt(wakeFd).putShort(POLLIN).putShort((short) 0)
                .array();
        while (true) {
            int ready = libc.poll(pollFds, 2, -1);
            if (ready < 0) {
                int errno = runtime.getLastError();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw NetlinkSocket.failure(libc, "poll", errno);
            }
            ByteBuffer revents = ByteBuffer.wrap(pollFds).order(ByteOrder.nativeOrder());
            if (revents.getShort(POLLFD_BYTES + REVENTS_OFFSET) != 0) {
                return false;
            }
            if (revents.getShort(REVENTS_OFFSET) != 0) {
                return true;
            }
        }
    }

    /** Ends a current or the next {@link #awaitReadable} wait; callable from any thread. */
    public void wake() {
        byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
        libc.write(wakeFd, one, one.length);
    }

    @Override
    public void close() {
        libc.close(wakeFd);
    }
}
