package io.wgmon.capture.nflog;

import io.wgmon.netlink.AttributeWriter;

/** Bodies of NFLOG config messages (type 0x0401): nfgenmsg for a group plus one attribute. */
final class NflogConfigMessages {
    static final int CONFIG_TYPE = (4 << 8) | 1;
    static final int PACKET_TYPE = 4 << 8;

    private static final int ATTR_CMD = 1;
    private static final int ATTR_MODE = 2;
    private static final int ATTR_TIMEOUT = 4;
    private static final int ATTR_QTHRESH = 5;
    private static final int CMD_BIND = 1;
    private static final int CMD_UNBIND = 2;
    private static final int COPY_PACKET = 2;
    private static final int AF_UNSPEC = 0;

    private NflogConfigMessages() {
    }

    static byte[] bind(int group) {
        return forGroup(group).putU8(ATTR_CMD, CMD_BIND).toByteArray();
    }

    static byte[] unbind(int group) {
        return forGroup(group).putU8(ATTR_CMD, CMD_UNBIND).toByteArray();
    }

    /** Copy the first {@code copyRange} bytes of each packet, from the IP header on. */
    static byte[] copyPacket(int group, int copyRange) {
        // struct nfulnl_msg_config_mode { __be32 copy_range; __u8 copy_mode; __u8 _pad; }
        byte[] mode = {(byte) (copyRange >>> 24), (byte) (copyRange >>> 16), (byte) (copyRange >>> 8),
                (byte) copyRange, COPY_PACKET, 0};
        return forGroup(group).put(ATTR_MODE, mode).toByteArray();
    }

    /** Deliver after this many packets are queued (1 = each at once). */
    static byte[] queueThreshold(int group, int packets) {
        return forGroup(group).putBe32(ATTR_QTHRESH, packets).toByteArray();
    }

    /** Flush a partly filled batch after this many 1/100 s (0 = no timer). */
    static byte[] flushTimeout(int group, int hundredths) {
        return forGroup(group).putBe32(ATTR_TIMEOUT, hundredths).toByteArray();
    }

    private static AttributeWriter forGroup(int group) {
        byte[] nfgenmsg = {AF_UNSPEC, 0, (byte) (group >>> 8), (byte) group};
        return new AttributeWriter().header(nfgenmsg);
    }
}
