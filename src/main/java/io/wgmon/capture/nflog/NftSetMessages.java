package io.wgmon.capture.nflog;

import io.wgmon.netlink.AttributeDecoder;
import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.NetlinkMessage;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

/** nf_tables netlink for one question: a set's default timeout (NFT_MSG_GETSET, its NEWSET reply). */
final class NftSetMessages {
    static final int GET_SET_TYPE = (10 << 8) | 10;
    static final int NEW_SET_TYPE = (10 << 8) | 9;

    private static final int NFPROTO_INET = 1;
    private static final int NFGENMSG_LENGTH = 4;
    private static final int ATTR_TABLE = 1;
    private static final int ATTR_NAME = 2;
    private static final int ATTR_TIMEOUT = 11;

    private NftSetMessages() {
    }

    /** The body of a GETSET request for set {@code set} of table inet {@code table}. */
    static byte[] getSet(String table, String set) {
        byte[] nfgenmsg = {NFPROTO_INET, 0, 0, 0};
        return new AttributeWriter().header(nfgenmsg).putString(ATTR_TABLE, table).putString(ATTR_NAME, set)
                .toByteArray();
    }

    /** The set's default timeout from a NEWSET reply (milliseconds, big-endian); empty for a set without one. */
    static Optional<Duration> timeout(NetlinkMessage reply) {
        if (reply.type() != NEW_SET_TYPE || reply.payloadLength() < NFGENMSG_LENGTH) {
            return Optional.empty();
        }
        ByteBuffer payload = reply.payload();
        AttributeDecoder attributes = AttributeDecoder.of(payload.position(NFGENMSG_LENGTH));
        Optional<Duration> timeout = Optional.empty();
        while (attributes.next()) {
            if (attributes.type() == ATTR_TIMEOUT && attributes.requireLength(8, "NFTA_SET_TIMEOUT")) {
                timeout = Optional.of(Duration.ofMillis(attributes.be64()));
            }
        }
        return attributes.error() == null ? timeout : Optional.empty();
    }
}
