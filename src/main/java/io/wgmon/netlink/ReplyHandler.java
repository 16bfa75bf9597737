package io.wgmon.netlink;

/** Takes each data message of a reply while its payload is still valid (it is a view of the receive buffer). */
@FunctionalInterface
public interface ReplyHandler<E extends Exception> {
    void message(NetlinkMessage message) throws E;
}
