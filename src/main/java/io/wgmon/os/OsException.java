package io.wgmon.os;

/**
 * A system call that failed, with the errno number it set. Callers branch on {@link #errno()}
 * compared with {@link Errno}'s numbers (docs/architecture.md#os).
 */
public class OsException extends RuntimeException {
    private final int errno;
    private final String call;

    public OsException(int errno, String call) {
        this(errno, call, call + ": " + Errno.describe(errno));
    }

    protected OsException(int errno, String call, String message) {
        super(message);
        this.errno = errno;
        this.call = call;
    }

    /** The positive errno number; 0 where the failure carried none. */
    public int errno() {
        return errno;
    }

    /** The call (or operation) that failed, e.g. "poll" or "connect(/var/run/wireguard/wg0.sock)". */
    public String call() {
        return call;
    }
}
