package io.wgmon.lifecycle;

import io.wgmon.os.Errno;
import io.wgmon.os.Inotify;
import io.wgmon.os.InotifyEvent;
import io.wgmon.os.InotifyEventParser;
import io.wgmon.os.LibC;
import io.wgmon.os.OsException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Predicate;

import static io.wgmon.os.InotifyEvent.*;

/**
 * An inotify descriptor on the UAPI directory: a socket file created, deleted or renamed there
 * is a userspace WireGuard daemon starting or stopping (docs/architecture.md#tracking). The directory
 * may not exist yet (wireguard-go makes it when the first daemon starts): then its parent is
 * watched until it appears, and again if it is removed. Non-blocking; one thread reads it.
 */
final class UapiDirectoryWatch implements AutoCloseable {
    private static final int DIRECTORY_EVENTS = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
    private static final int PARENT_EVENTS = IN_CREATE | IN_MOVED_TO | IN_ONLYDIR;
    private static final String SOCKET_SUFFIX = ".sock";
    private static final int BUFFER_BYTES = 16 * 1024;

    private final Inotify inotify;
    private final Path directory;
    private final Predicate<String> watchedInterface;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final ByteBuffer records = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
    private static final byte[] SOCKET_SUFFIX_BYTES = SOCKET_SUFFIX.getBytes(StandardCharsets.US_ASCII);
    private int directoryWatch = -1;
    private int parentWatch = -1;
    private long malformed;
    private long discardedUnparsed;

    private UapiDirectoryWatch(Inotify inotify, Path directory, Predicate<String> watchedInterface) {
        this.inotify = inotify;
        this.watchedInterface = watchedInterface;
        this.directory = directory.toAbsolutePath();
    }

    /**
     * @param watchedInterface whether a socket of this interface name is worth a scan
     * @throws OsException when inotify or the watch cannot be set up (the errno says why)
     */
    static UapiDirectoryWatch open(LibC libc, Path directory, Predicate<String> watchedInterface) {
        Inotify inotify = Inotify.open(libc);
        UapiDirectoryWatch watch = new UapiDirectoryWatch(inotify, directory, watchedInterface);
        try {
            watch.watchDirectoryOrParent();
            return watch;
        } catch (RuntimeException e) {
            inotify.close();
            throw e;
        }
    }

    int descriptor() {
        return inotify.descriptor();
    }

    /** Whether the directory itself is watched (false: its parent, until it appears). */
    boolean watchingDirectory() {
        return directoryWatch >= 0;
    }

    /** Event records that did not parse, so far. */
    long malformed() {
        return malformed;
    }

    /** Reads whose events were all about other files than sockets, dropped without parsing. */
    long discardedUnparsed() {
        return discardedUnparsed;
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
            int length = inotify.read(buffer);
            if (length == 0) {
                return changed;
            }
            if (onlyOtherFiles(length)) {
                discardedUnparsed++;
                continue;
            }
            InotifyEventParser.Events events = InotifyEventParser.parse(buffer, length);
            if (events.truncated()) {
                malformed++;
                changed = true;
            }
            for (InotifyEvent event : events.events()) {
                changed |= apply(event);
            }
        }
    }

    /**
     * Whether every record read is a file other than a socket coming or going in the directory: the
     * common case on a host where other programs use the directory, decided on the bytes, without a
     * string or an event object. Anything else (a socket, the directory itself, an overflow, a record
     * that does not fit) goes to the full parse.
     */
    private boolean onlyOtherFiles(int length) {
        int at = 0;
        while (at < length) {
            if (length - at < InotifyEventParser.HEADER_BYTES) {
                return false;
            }
            int watch = records.getInt(at);
            int mask = records.getInt(at + 4);
            int nameLength = records.getInt(at + 12);
            int name = at + InotifyEventParser.HEADER_BYTES;
            if (watch != directoryWatch || directoryWatch < 0 || nameLength < 0 || nameLength > length - name
                    || (mask & ~(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ISDIR)) != 0
                    || endsWithSocketSuffix(name, nameLength)) {
                return false;
            }
            at = name + nameLength;
        }
        return true;
    }

    private boolean endsWithSocketSuffix(int name, int paddedLength) {
        int end = name;
        while (end < name + paddedLength && buffer[end] != 0) {
            end++;
        }
        int suffix = end - SOCKET_SUFFIX_BYTES.length;
        return suffix >= name && Arrays.equals(buffer, suffix, end, SOCKET_SUFFIX_BYTES, 0, SOCKET_SUFFIX_BYTES.length);
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
        try {
            directoryWatch = inotify.addWatch(directory.toString(), DIRECTORY_EVENTS);
            stopWatchingParent();
            return;
        } catch (OsException e) {
            if (e.errno() != Errno.ENOENT || directory.getParent() == null) {
                throw e;
            }
        }
        if (parentWatch < 0) {
            parentWatch = inotify.addWatch(directory.getParent().toString(), PARENT_EVENTS);
        }
        // made between the failed watch and the parent's: it would bring no event, so look again
        try {
            directoryWatch = inotify.addWatch(directory.toString(), DIRECTORY_EVENTS);
            stopWatchingParent();
        } catch (OsException stillMissing) {
            // the parent's watch reports it when it comes
        }
    }

    private void stopWatchingParent() {
        if (parentWatch >= 0) {
            inotify.removeWatch(parentWatch);
            parentWatch = -1;
        }
    }

    Path directory() {
        return directory;
    }

    @Override
    public void close() {
        inotify.close();
    }
}
