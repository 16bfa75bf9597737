package io.wgmon.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Lets one thread wait in poll(2) until its descriptor is readable, so an idle reader sleeps in
 * the kernel, and lets any thread close the owner at once: {@link #close(Runnable)} wakes the
 * waiter through an eventfd, waits until every {@link #whileOpen} call has returned, and only
 * then releases the owner's descriptors, so none is closed under a thread still using it.
 * A wait may carry a deadline, enforced by poll's own timeout: no timer thread is involved.
 */
public final class ReadinessWaiter {
    /** The deadline of a wait that ends only with readiness or closing. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    /** How a wait ended. */
    public enum Wait { READY, CLOSING, TIMED_OUT }

    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final short POLLIN = 1;
    private static final int POLLFD_BYTES = 8;
    private static final int REVENTS_OFFSET = 6;

    private final LibC libc;
    private final jnr.ffi.Runtime runtime;
    private final int wakeFd;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Held shared by every call that uses the owner's descriptors, exclusively by close. */
    private final ReadWriteLock inUse = new ReentrantReadWriteLock();

    private ReadinessWaiter(LibC libc, int wakeFd) {
        this.libc = libc;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
        this.wakeFd = wakeFd;
    }

    /** @throws OsException when the eventfd cannot be created */
    public static ReadinessWaiter open(LibC libc) {
        int wakeFd = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (wakeFd < 0) {
            throw new OsException(jnr.ffi.Runtime.getRuntime(libc).getLastError(), "eventfd");
        }
        return new ReadinessWaiter(libc, wakeFd);
    }

    /**
     * Runs {@code call} with the owner's descriptors held open.
     *
     * @throws RuntimeException the one {@code closedError} makes, when already closed
     */
    public <T> T whileOpen(Supplier<T> call, Supplier<? extends RuntimeException> closedError) {
        inUse.readLock().lock();
        try {
            if (closed.get()) {
                throw closedError.get();
            }
            return call.get();
        } finally {
            inUse.readLock().unlock();
        }
    }

    /** As {@link #whileOpen}, for a call that returns an int: nothing boxed. */
    public int whileOpenInt(IntSupplier call, Supplier<? extends RuntimeException> closedError) {
        inUse.readLock().lock();
        try {
            if (closed.get()) {
                throw closedError.get();
            }
            return call.getAsInt();
        } finally {
            inUse.readLock().unlock();
        }
    }

    /**
     * Blocks until {@code fd} is readable (or has an error condition that the next read
     * reports), or until {@link #close(Runnable)} began. Call it inside {@link #whileOpen}.
     *
     * @return true when {@code fd} is ready, false when closing (closing wins over readiness)
     * @throws OsException when poll fails with anything but EINTR
     */
    public boolean awaitReadable(int fd) {
        return awaitReadable(fd, NO_DEADLINE) == Wait.READY;
    }

    /**
     * As {@link #awaitReadable(int)}, but gives up at {@code deadlineNanos} ({@link System#nanoTime()}
     * time, or {@link #NO_DEADLINE}): poll(2) waits at most until then.
     */
    public Wait awaitReadable(int fd, long deadlineNanos) {
        byte[] pollFds = ByteBuffer.allocate(2 * POLLFD_BYTES).order(ByteOrder.nativeOrder())
                .putInt(fd).putShort(POLLIN).putShort((short) 0)
                .putInt(wakeFd).putShort(POLLIN).putShort((short) 0)
                .array();
        while (true) {
            int timeoutMillis = -1;
            if (deadlineNanos != NO_DEADLINE) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return closed.get() ? Wait.CLOSING : Wait.TIMED_OUT;
                }
                // rounded up: poll must not return just before the deadline and spin
                timeoutMillis = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
            }
            int ready = libc.poll(pollFds, 2, timeoutMillis);
            if (ready < 0) {
                int errno = runtime.getLastError();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw new OsException(errno, "poll");
            }
            ByteBuffer revents = ByteBuffer.wrap(pollFds).order(ByteOrder.nativeOrder());
            if (closed.get() || revents.getShort(POLLFD_BYTES + REVENTS_OFFSET) != 0) {
                return Wait.CLOSING;
            }
            if (revents.getShort(REVENTS_OFFSET) != 0) {
                return Wait.READY;
            }
        }
    }

    /**
     * Blocks, with no deadline, until at least one of {@code fds} is readable or {@link #close(Runnable)}
     * began: the one wait of a thread that owns several descriptors. Call it inside {@link #whileOpen}.
     *
     * @return a bit mask of the readable descriptors (bit i for {@code fds[i]}, at most 31 of them),
     *         or -1 when closing (closing wins over readiness)
     * @throws OsException when poll fails with anything but EINTR
     */
    public int awaitAnyReadable(int... fds) {
        if (fds.length > 31) {
            throw new IllegalArgumentException("at most 31 descriptors, not " + fds.length);
        }
        ByteBuffer pollFds = ByteBuffer.allocate((fds.length + 1) * POLLFD_BYTES).order(ByteOrder.nativeOrder());
        for (int fd : fds) {
            pollFds.putInt(fd).putShort(POLLIN).putShort((short) 0);
        }
        pollFds.putInt(wakeFd).putShort(POLLIN).putShort((short) 0);
        byte[] array = pollFds.array();
        while (true) {
            int ready = libc.poll(array, fds.length + 1, -1);
            if (ready < 0) {
                int errno = runtime.getLastError();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw new OsException(errno, "poll");
            }
            if (closed.get() || pollFds.getShort(fds.length * POLLFD_BYTES + REVENTS_OFFSET) != 0) {
                return -1;
            }
            int mask = 0;
            for (int i = 0; i < fds.length; i++) {
                if (pollFds.getShort(i * POLLFD_BYTES + REVENTS_OFFSET) != 0) {
                    mask |= 1 << i;
                }
            }
            if (mask != 0) {
                return mask;
            }
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Wakes a waiting thread, waits until no {@link #whileOpen} call is running, then runs
     * {@code releaseDescriptors} and closes the eventfd. Only the first call does anything;
     * safe from any thread.
     */
    public void close(Runnable releaseDescriptors) {
        close(() -> { }, releaseDescriptors);
    }

    /**
     * As {@link #close(Runnable)}, for an owner whose thread may block in a system call of its own rather than
     * in this waiter's poll: {@code wakeBlocked} runs once closing is visible to {@link #whileOpen} (so a
     * thread it wakes finds it on its next call) and before waiting for that thread to let go.
     */
    public void close(Runnable wakeBlocked, Runnable releaseDescriptors) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
        libc.write(wakeFd, one, one.length);
        wakeBlocked.run();
        inUse.writeLock().lock();
        try {
            releaseDescriptors.run();
            libc.close(wakeFd);
        } finally {
            inUse.writeLock().unlock();
        }
    }
}
