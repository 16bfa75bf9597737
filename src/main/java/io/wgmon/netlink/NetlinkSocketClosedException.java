package io.wgmon.netlink;

/** The socket was closed, possibly by another thread while this one waited to receive. */
public class NetlinkSocketClosedException extends RuntimeException {
    public NetlinkSocketClosedException() {
        super("netlink socket closed");
    }
}
