package io.wgmon.netlink;

import jnr.constants.platform.Errno;

import java.time.Duration;

/**
 * Anything that went wrong on a netlink socket, with the {@link Reason} a caller branches on.
 * Errno values are {@code jnr.constants.platform.Errno} (docs/architecture.md §4).
 */
public class NetlinkException extends RuntimeException {

    public enum Reason {
        /** The kernel answered the request with an ERROR (or DONE) carrying an errno. */
        REFUSED,
        /** A system call (socket, bind, send, recv, poll, eventfd) failed with an errno. */
        SYSTEM_CALL,
        /** The kernel marked a dump inconsistent (NLM_F_DUMP_INTR): the caller may retry. */
        DUMP_INTERRUPTED,
        /** No complete reply before the deadline. */
        TIMEOUT,
        /** The socket is or got closed. */
        CLOSED,
        /** Bytes that do not form valid netlink messages or attributes. */
        MALFORMED
    }

    private final Reason reason;
    private final int errno;

    private NetlinkException(Reason reason, int errno, String message) {
        super(message);
        this.reason = reason;
        this.errno = errno;
    }

    /** The kernel refused {@code operation} with this errno. */
    public NetlinkException(String operation, Errno errno) {
        this(Reason.REFUSED, errno.intValue(), operation + ": " + describe(errno.intValue()));
    }

    public static NetlinkException refused(String operation, int errno) {
        return new NetlinkException(Reason.REFUSED, errno, operation + ": " + describe(errno));
    }

    public static NetlinkException systemCall(String call, int errno) {
        return new NetlinkException(Reason.SYSTEM_CALL, errno, call + ": " + describe(errno));
    }

    public static NetlinkException dumpInterrupted(String operation) {
        return new NetlinkException(Reason.DUMP_INTERRUPTED, Errno.EINTR.intValue(),
                operation + ": EINTR (dump interrupted by a concurrent change, retry)");
    }

    public static NetlinkException timedOut(String operation, Duration timeout) {
        return new NetlinkException(Reason.TIMEOUT, Errno.ETIMEDOUT.intValue(),
                operation + ": no complete reply within " + timeout);
    }

    public static NetlinkException closed() {
        return new NetlinkException(Reason.CLOSED, Errno.EBADF.intValue(), "netlink socket closed");
    }

    public static NetlinkException malformed(String problem) {
        return new NetlinkException(Reason.MALFORMED, 0, problem);
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The errno, e.g. {@code Errno.EBUSY}; meaningful for REFUSED and SYSTEM_CALL. Compare with
     * {@link #errnoValue()} where jnr knows two names for one number (EOPNOTSUPP is ENOTSUP).
     */
    public Errno errno() {
        return Errno.valueOf(errno);
    }

    /** The positive errno number, 0 for a malformed message. */
    public int errnoValue() {
        return errno;
    }

    /** Name and description, e.g. "EBUSY (Device or resource busy)", or "errno 524" for one jnr does not know. */
    public static String describe(int errno) {
        Errno known = Errno.valueOf(errno);
        return known.defined() ? known.name() + " (" + known.description() + ")" : "errno " + errno;
    }
}
