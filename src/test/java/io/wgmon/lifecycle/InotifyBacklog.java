package io.wgmon.lifecycle;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.Out;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The bytes waiting in this process's inotify descriptors (FIONREAD): once none wait, the watcher
 * has read every event so far, so a scan it asks for because of them is asked before any later
 * event's. A fence for "this event asked for nothing" that does not guess a time.
 */
final class InotifyBacklog {
    private static final long FIONREAD = 0x541B;
    private static final Ioctl LIBC = LibraryLoader.create(Ioctl.class).load("c");

    public interface Ioctl {
        int ioctl(int fd, long request, @Out int[] value);
    }

    private InotifyBacklog() {
    }

    static void awaitRead(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pendingBytes() > 0) {
            if (System.nanoTime() > deadline) {
                fail("the watcher did not read its inotify events within " + timeout);
            }
            Thread.sleep(1);
        }
    }

    private static int pendingBytes() throws IOException {
        int pending = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue;
                }
                if (target.equals("anon_inode:inotify")) {
                    int[] bytes = {0};
                    if (LIBC.ioctl(Integer.parseInt(fd.getFileName().toString()), FIONREAD, bytes) == 0) {
                        pending += bytes[0];
                    }
                }
            }
        }
        return pending;
    }
}
