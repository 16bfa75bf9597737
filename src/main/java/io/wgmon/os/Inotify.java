package io.wgmon.os;

/**
 * A non-blocking inotify descriptor: watches added and removed by path, and reads of whatever
 * events are waiting, parsed by {@link InotifyEventParser}. One thread reads it.
 */
public final class Inotify implements AutoCloseable {
    private static final int IN_NONBLOCK = 0x800;
    private static final int IN_CLOEXEC = 0x80000;

    private final LibC libc;
    private final jnr.ffi.Runtime runtime;
    private final int fd;

    private Inotify(LibC libc, int fd) {
        this.libc = libc;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
        this.fd = fd;
    }

    /** @throws OsException when the kernel gives no inotify descriptor (the errno says why) */
    public static Inotify open(LibC libc) {
        int fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            throw new OsException(jnr.ffi.Runtime.getRuntime(libc).getLastError(), "inotify_init1");
        }
        return new Inotify(libc, fd);
    }

    public int descriptor() {
        return fd;
    }

    /**
     * @return the watch descriptor
     * @throws OsException when the path cannot be watched (ENOENT: it does not exist)
     */
    public int addWatch(String path, int mask) {
        int watch = libc.inotify_add_watch(fd, path, mask);
        if (watch < 0) {
            throw new OsException(runtime.getLastError(), "inotify_add_watch(" + path + ")");
        }
        return watch;
    }

    public void removeWatch(int watch) {
        libc.inotify_rm_watch(fd, watch);
    }

    /**
     * Reads the events waiting into {@code buffer}.
     *
     * @return the bytes read, 0 when none were waiting
     * @throws OsException when the read fails with anything but EAGAIN or EINTR
     */
    public int read(byte[] buffer) {
        while (true) {
            long length = libc.read(fd, buffer, buffer.length);
            if (length >= 0) {
                return (int) length;
            }
            int errno = runtime.getLastError();
            if (errno == Errno.EAGAIN) {
                return 0;
            }
            if (errno != Errno.EINTR) {
                throw new OsException(errno, "read(inotify)");
            }
        }
    }

    @Override
    public void close() {
        libc.close(fd);
    }
}
