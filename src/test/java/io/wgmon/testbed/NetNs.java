package io.wgmon.testbed;

import jnr.ffi.LibraryLoader;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs code inside a named network namespace. Linux network namespaces are per thread, so a
 * fresh thread joins the namespace (setns) and runs the task; sockets it creates stay in that
 * namespace for their whole life, whichever thread uses them later. The thread then ends, so no
 * pooled thread is left in the wrong namespace.
 */
public final class NetNs {
    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    public interface LibC {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private NetNs() {
    }

    public static <T> T call(String namespace, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            int fd = LIBC.open("/var/run/netns/" + namespace, O_RDONLY);
            if (fd < 0) {
                result.completeExceptionally(new IllegalStateException("no network namespace " + namespace));
                return;
            }
            try {
                if (LIBC.setns(fd, CLONE_NEWNET) != 0) {
                    result.completeExceptionally(new IllegalStateException("setns failed for " + namespace));
                    return;
                }
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                LIBC.close(fd);
            }
        }, "netns-" + namespace);
        thread.start();
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
