package io.wgmon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Frames netlink messages: encodes one header + body, splits a received buffer into messages. */
public final class NetlinkMessageCodec {

    private NetlinkMessageCodec() {
    }

    /** Header plus body; the body (family header and attributes) is padded to 4 bytes. */
    public static byte[] encode(int type, int flags, int sequence, int portId, byte[] body) {
        int length = Netlink.HEADER_LENGTH + body.length;
        ByteBuffer out = ByteBuffer.allocate(Netlink.align(length)).order(ByteOrder.nativeOrder());
        out.putInt(length)
                .putShort((short) type)
                .putShort((short) flags)
                .putInt(sequence)
                .putInt(portId)
                .put(body);
        return out.array();
    }

    /**
     * Splits {@code length} bytes of {@code buffer} into messages. NOOP messages are skipped.
     * The payloads are views of {@code buffer}, not copies.
     *
     * @throws NetlinkException (MALFORMED) when a header is truncated, a length is impossible, an
     *                                    ERROR message has no error code, or an ERROR or DONE carries a
     *                                    code below -4095 (no errno)
     */
    public static List<NetlinkMessage> decode(byte[] buffer, int length) {
        if (length < 0 || length > buffer.length) {
            throw new IllegalArgumentException("length " + length + " outside buffer of " + buffer.length);
        }
        ByteBuffer in = ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>();
        int offset = 0;
        while (offset < length) {
            int remaining = length - offset;
            if (remaining < Netlink.HEADER_LENGTH) {
                throw NetlinkException.malformed("truncated netlink header: " + remaining
                        + " bytes left at offset " + offset);
            }
            int messageLength = in.getInt(offset);
            if (messageLength < Netlink.HEADER_LENGTH || messageLength > remaining) {
                throw NetlinkException.malformed("netlink message at offset " + offset + " claims "
                        + Integer.toUnsignedString(messageLength) + " bytes, " + remaining + " available");
            }
            NetlinkMessage message = new NetlinkMessage(
                    Short.toUnsignedInt(in.getShort(offset + 4)),
                    Short.toUnsignedInt(in.getShort(offset + 6)),
                    in.getInt(offset + 8),
                    in.getInt(offset + 12),
                    ByteBuffer.wrap(buffer, offset + Netlink.HEADER_LENGTH, messageLength - Netlink.HEADER_LENGTH));
            if (message.isError() && message.payloadLength() < 4) {
                throw NetlinkException.malformed("netlink error message at offset " + offset
                        + " has no error code");
            }
            if ((message.isError() || message.isDone()) && message.payloadLength() >= 4
                    && message.payload().getInt(0) < -Netlink.MAX_ERRNO) {
                throw NetlinkException.malformed("netlink message at offset " + offset + " carries code "
                        + message.payload().getInt(0) + ", not a negated errno");
            }
            if (message.type() != Netlink.NLMSG_NOOP) {
                messages.add(message);
            }
            offset += Math.min(Netlink.align(messageLength), remaining);
        }
        return messages;
    }
}
