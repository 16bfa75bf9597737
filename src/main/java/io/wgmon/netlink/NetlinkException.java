package io.wgmon.netlink;

/** The kernel (or a socket call) answered with an errno. */
public class NetlinkException extends RuntimeException {
    private final int errno;

    public NetlinkException(String operation, int errno) {
        this(operation, errno, Errno.describe(errno));
    }

    public NetlinkException(String operation, int errno, String description) {
        super(operation + ": " + description);
        this.errno = errno;
    }

    /** The positive errno value, e.g. {@link Errno#EBUSY}. */
    public int errno() {
        return errno;
    }
}
