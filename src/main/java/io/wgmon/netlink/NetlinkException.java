package io.wgmon.netlink;

import io.wgmon.os.Errno;
import io.wgmon.os.OsException;

import java.time.Duration;

/**
 * Anything that went wrong on a netlink socket, with the {@link Reason} a caller branches on and,
 * as every {@link OsException}, the errno number (docs/architecture.md#netlink).
 */
public class NetlinkException extends OsException {

    public enum Reason {
        /** The kernel answered the request with an ERROR (or DONE) carrying an errno. */
        REFUSED,
        /** A system call of the socket (socket, bind, send, recv, setsockopt, poll) failed with an errno. */
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

    private NetlinkException(Reason reason, int errno, String operation, String message) {
        super(errno, operation, message);
        this.reason = reason;
    }

    /** The kernel refused {@code operation} with this errno number. */
    public static NetlinkException refused(String operation, int errno) {
        return new NetlinkException(Reason.REFUSED, errno, operation, operation + ": " + Errno.describe(errno));
    }

    public static NetlinkException systemCall(String call, int errno) {
        return new NetlinkException(Reason.SYSTEM_CALL, errno, call, call + ": " + Errno.describe(errno));
    }

    public static NetlinkException dumpInterrupted(String operation) {
        return new NetlinkException(Reason.DUMP_INTERRUPTED, Errno.EINTR, operation,
                operation + ": EINTR (dump interrupted by a concurrent change, retry)");
    }

    public static NetlinkException timedOut(String operation, Duration timeout) {
        return new NetlinkException(Reason.TIMEOUT, Errno.ETIMEDOUT, operation,
                operation + ": no complete reply within " + timeout);
    }

    public static NetlinkException closed() {
        return new NetlinkException(Reason.CLOSED, Errno.EBADF, "netlink", "netlink socket closed");
    }

    public static NetlinkException malformed(String problem) {
        return new NetlinkException(Reason.MALFORMED, 0, "netlink", problem);
    }

    public Reason reason() {
        return reason;
    }
}
