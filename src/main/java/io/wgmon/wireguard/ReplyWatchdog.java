package io.wgmon.wireguard;

import io.wgmon.netlink.NetlinkSocket;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the time a request may wait for its reply. {@link NetlinkSocket#receive()} blocks in
 * poll(2) without a timeout, and SO_RCVTIMEO does not bound poll, so the watchdog closes the
 * socket when the time is up: that wakes the receiving thread with a
 * {@link io.wgmon.netlink.NetlinkSocketClosedException}, and the caller opens a new socket next
 * time. The timer thread is a daemon, started on first use.
 */
final class ReplyWatchdog implements AutoCloseable {
    private final Duration timeout;
    private ScheduledExecutorService timer;
    private boolean closed;

    ReplyWatchdog(Duration timeout) {
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** Starts the clock for one request on this socket; close the result when the reply is in. */
    synchronized Armed arm(NetlinkSocket socket) {
        Armed armed = new Armed(socket);
        if (closed) {
            // the client is closing its sockets anyway
            return armed;
        }
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "wgmon-kernel-wireguard-watchdog");
                thread.setDaemon(true);
                return thread;
            });
        }
        armed.expiry = timer.schedule(armed::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return armed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    static final class Armed implements AutoCloseable {
        private final NetlinkSocket socket;
        private final AtomicBoolean expired = new AtomicBoolean();
        private volatile ScheduledFuture<?> expiry;

        private Armed(NetlinkSocket socket) {
            this.socket = socket;
        }

        private void expire() {
            expired.set(true);
            socket.close();
        }

        /** True when the time ran out and the socket was closed. */
        boolean expired() {
            return expired.get();
        }

        @Override
        public void close() {
            ScheduledFuture<?> pending = expiry;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }
}
