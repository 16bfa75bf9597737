package io.wgmon.netlink;

/** Netlink numbers from {@code <linux/netlink.h>} (docs/architecture.md#netlink). */
public final class Netlink {
    public static final int AF_NETLINK = 16;

    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_NETFILTER = 12;
    public static final int NETLINK_GENERIC = 16;

    public static final int HEADER_LENGTH = 16;
    public static final int ATTRIBUTE_HEADER_LENGTH = 4;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    /** The largest errno ({@code MAX_ERRNO}, {@code <linux/err.h>}): ERROR and DONE codes are 0 to -4095. */
    public static final int MAX_ERRNO = 4095;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_ECHO = 0x8;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    private Netlink() {
    }

    /** Rounds up to the 4-byte alignment of netlink messages and attributes. */
    public static int align(int length) {
        return (length + 3) & ~3;
    }
}
