package io.wgmon.netlink;

/** Bytes that do not form valid netlink messages or attributes. */
public class NetlinkProtocolException extends RuntimeException {
    public NetlinkProtocolException(String message) {
        super(message);
    }
}
