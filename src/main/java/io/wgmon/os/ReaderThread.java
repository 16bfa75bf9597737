package io.wgmon.os;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that runs one blocking read loop (a packet reader, the lifecycle watcher), and
 * how it stops: {@link #signalStop()} cuts short any {@link #await pause} of the loop, and
 * {@link #join()} waits a bounded time for it to end.
 */
public final class ReaderThread {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final String threadName;
    private final Logger log;
    private final String description;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Thread thread;

    public ReaderThread(String threadName, Logger log, String description) {
        this.threadName = threadName;
        this.log = log;
        this.description = description;
    }

    /** Starts {@code loop} on a new daemon thread; called once by the owner's start. */
    public void start(Runnable loop) {
        Thread started = new Thread(loop, threadName);
        started.setDaemon(true);
        thread = started;
        started.start();
    }

    public boolean isAlive() {
        Thread current = thread;
        return current != null && current.isAlive();
    }

    /** Pauses the loop for {@code delay}; false when stopping cut it short. */
    public boolean await(Duration delay) {
        try {
            return !stopping.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends the current and every later pause, so the loop ends at its next check. */
    public void signalStop() {
        stopping.countDown();
    }

    /** Waits up to five seconds for a started reader to end, unless called from the reader itself. */
    public void join() {
        Thread toJoin = thread;
        if (toJoin == null || toJoin == Thread.currentThread()) {
            return;
        }
        try {
            toJoin.join(JOIN_TIMEOUT.toMillis());
            if (toJoin.isAlive()) {
                log.warnf("%s: reader did not stop within %s", description, JOIN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
