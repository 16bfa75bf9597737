package io.wgmon.lifecycle;

import io.wgmon.netlink.LibC;
import io.wgmon.netlink.NetlinkException;
import jnr.constants.platform.Errno;

import java.nio.file.Path;
import java.util.function.Predicate;

import static io.wgmon.lifecycle.InotifyEvent.*;

/**
 * An inotify descriptor on the UAPI directory: a socket file created, deleted or renamed there
 * is a userspace WireGuard daemon starting or stopping (docs/architecture.md §7). The directory
 * may not exist yet (wireguard-go makes it when the first daemon starts): then its parent is
 * watched until it appears, and again if it is removed. Non-blocking; one thread reads it.
 */
final class UapiDirectoryWatch implements AutoCloseable {
    private static final int IN_NONBLOCK = 0x800;
    private static final int IN_CLOEXEC = 0x80000;
    private static final int DIRECTORY_EVENTS = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
    private static final int PARENT_EVENTS = IN_CREATE | IN_MOVED_TO | IN_ONLYDIR;
    private static final String SOCKET_SUFFIX = ".sock";
    private static final int BUFFER_BYTES = 16 * 1024;

    private final LibC libc;
    private final jnr.ffi.Runtime runtime;
    private final int fd;
    private final Path directory;
    private final Predicate<String> watchedInterface;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int directoryWatch = -1;
    private int parentWatch = -1;
    private long malformed;

    private UapiDirectoryWatch(LibC libc, int fd, Path directory, Predicate<String> watchedInterface) {
        this.libc = libc;
        this.watchedInterface = watchedInterface;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
        this.fd = fd;
        this.directory = directory.toAbsolutePath();
    }

    /** @throws NetlinkException SYSTEM_CALL when inotify or the watch cannot be set up (the errno says why) */
    /** @param watchedInterface whether a socket of this interface name is worth a scan */
    static UapiDirectoryWatch open(LibC libc, Path directory, Predicate<String> watchedInterface) {
        int fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            throw NetlinkException.systemCall("inotify_init1", jnr.ffi.Runtime.getRuntime(libc).getLastError());
        }
        UapiDirectoryWatch watch = new UapiDirectoryWatch(libc, fd, directory, watchedInterface);
        try {
            watch.watchDirectoryOrParent();
            return watch;
        } catch (RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    int descriptor() {
        return fd;
    }

    /** Whether the directory itself is watched (false: its parent, until it appears). */
    boolean watchingDirectory() {
        return directoryWatch >= 0;
    }

    /** Event records that did not parse, so far. */
    long malformed() {
        return malformed;
    }

    /**
     * Reads every event waiting.
     *
     * @return whether a daemon may have started or stopped: a socket file came or went, the
     *         directory appeared or went away, or the kernel's event queue overflowed
     */
    boolean readChanges() {
        boolean changed = false;
        while (true) {
            long length = libc.read(fd, buffer, buffer.length);
            if (length < 0) {
                int errno = runtime.getLastError();
                if (errno == Errno.EAGAIN.intValue()) {
                    return changed;
                }
                if (errno == Errno.EINTR.intValue()) {
                    continue;
                }
                throw NetlinkException.systemCall("read(inotify)", errno);
            }
            InotifyEventParser.Events events = InotifyEventParser.parse(buffer, (int) length);
            if (events.truncated()) {
                malformed++;
                changed = true;
            }
            for (InotifyEvent event : events.events()) {
                changed |= apply(event);
            }
        }
    }

    private boolean apply(InotifyEvent event) {
        if (event.has(IN_Q_OVERFLOW)) {
            return true;
        }
        if (event.watch() == directoryWatch && directoryWatch >= 0) {
            if (event.has(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
                directoryWatch = -1;
                watchDirectoryOrParent();
                return true;
            }
            return event.name().endsWith(SOCKET_SUFFIX)
                    && watchedInterface.test(event.name().substring(0, event.name().length() - SOCKET_SUFFIX.length()))
                    && event.has(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO);
        }
        if (event.watch() == parentWatch && parentWatch >= 0 && event.name().equals(directory.getFileName().toString())
                && event.has(IN_CREATE | IN_MOVED_TO)) {
            watchDirectoryOrParent();
            return directoryWatch >= 0;
        }
        return false;
    }

    private void watchDirectoryOrParent() {
        int watch = libc.inotify_add_watch(fd, directory.toString(), DIRECTORY_EVENTS);
        if (watch >= 0) {
            directoryWatch = watch;
            if (parentWatch >= 0) {
                libc.inotify_rm_watch(fd, parentWatch);
                parentWatch = -1;
            }
            return;
        }
        int errno = runtime.getLastError();
        Path parent = directory.getParent();
        if (errno != Errno.ENOENT.intValue() || parent == null) {
            throw NetlinkException.systemCall("inotify_add_watch(" + directory + ")", errno);
        }
        if (parentWatch < 0) {
            int onParent = libc.inotify_add_watch(fd, parent.toString(), PARENT_EVENTS);
            if (onParent < 0) {
                throw NetlinkException.systemCall("inotify_add_watch(" + parent + ")", runtime.getLastError());
            }
            parentWatch = onParent;
        }
        // made between the failed watch and the parent's: it would bring no event, so look again
        int late = libc.inotify_add_watch(fd, directory.toString(), DIRECTORY_EVENTS);
        if (late >= 0) {
            directoryWatch = late;
            libc.inotify_rm_watch(fd, parentWatch);
            parentWatch = -1;
        }
    }

    Path directory() {
        return directory;
    }

    @Override
    public void close() {
        libc.close(fd);
    }
}
