package io.wgmon.netlink;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc calls a netlink socket needs. Buffers are Java byte arrays; every call that can
 * fail saves errno, read it with {@code jnr.ffi.Runtime.getRuntime(libc).getLastError()}; names
 * and descriptions come from {@code jnr.constants.platform.Errno}.
 */
public interface LibC {

    /** Loads the C library; cheap enough to call once per socket owner. */
    static LibC load() {
        return LibraryLoader.create(LibC.class).load("c");
    }

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int bind(int fd, @In byte[] address, int addressLength);

    @SaveError
    @ssize_t long send(int fd, @In byte[] buffer, @size_t long length, int flags);

    @SaveError
    @ssize_t long recv(int fd, @Out byte[] buffer, @size_t long length, int flags);

    @SaveError
    int setsockopt(int fd, int level, int option, @In byte[] value, int valueLength);

    @SaveError
    int getsockopt(int fd, int level, int option, @Out byte[] value, @In @Out int[] valueLength);

    @SaveError
    int close(int fd);

    /** {@code fds} is an array of {@code struct pollfd} (8 bytes each, native order). */
    @SaveError
    int poll(@In @Out byte[] fds, @size_t long count, int timeoutMillis);

    @SaveError
    int eventfd(int initialValue, int flags);

    @SaveError
    @ssize_t long read(int fd, @Out byte[] buffer, @size_t long length);

    @SaveError
    @ssize_t long write(int fd, @In byte[] buffer, @size_t long length);

    /** {@code flags}: IN_NONBLOCK 0x800, IN_CLOEXEC 0x80000. */
    @SaveError
    int inotify_init1(int flags);

    @SaveError
    int inotify_add_watch(int fd, String path, int mask);

    @SaveError
    int inotify_rm_watch(int fd, int watch);
}
