package io.wgmon.os;

/**
 * The errno numbers wgmon branches on, as Linux defines them (asm-generic/errno-base.h and
 * errno.h; the same on every architecture wgmon runs on). Checks compare these numbers, never a
 * message text, so a library that rewords its messages cannot change what a failure means.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENAMETOOLONG = 36;
    public static final int EOPNOTSUPP = 95;
    public static final int ENOBUFS = 105;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EINPROGRESS = 115;

    private Errno() {
    }

    /** Name and description, e.g. "EBUSY (Device or resource busy)", or "errno 524" for one jnr does not know. */
    public static String describe(int errno) {
        jnr.constants.platform.Errno known = jnr.constants.platform.Errno.valueOf(errno);
        return known.defined() ? known.name() + " (" + known.description() + ")" : "errno " + errno;
    }
}
