package io.wgmon.os;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * wgmon's one binding of the C library (jnr-ffi): the calls of its netlink, UAPI, eventfd and
 * inotify descriptors. Buffers are Java byte arrays; every call that can fail saves errno, read it
 * with {@code jnr.ffi.Runtime.getRuntime(libc).getLastError()} and compare it with {@link Errno}.
 */
public interface LibC {

    /** Loads the C library; cheap enough to call once per socket owner. */
    static LibC load() {
        return LibraryLoader.create(LibC.class).load("c");
    }

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int connect(int fd, @In byte[] address, int addressLength);

    @SaveError
    int bind(int fd, @In byte[] address, int addressLength);

    @SaveError
    @ssize_t long send(int fd, @In byte[] buffer, @size_t long length, int flags);

    @SaveError
    @ssize_t long recv(int fd, @Out byte[] buffer, @size_t long length, int flags);

    /**
     * Into native memory the caller allocated once: nothing is copied around the call (for an {@code @Out}
     * array jffi mallocs a native copy and copies all of it back on every call, however little arrived).
     */
    @SaveError
    @ssize_t long recv(int fd, Pointer buffer, @size_t long length, int flags);

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

    /** The interface's index in the calling thread's network namespace, 0 when there is none. */
    int if_nametoindex(String name);
}
