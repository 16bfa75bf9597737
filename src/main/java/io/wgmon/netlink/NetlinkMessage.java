package io.wgmon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One netlink message: the header fields and its payload (family header plus attributes).
 * Messages from {@link NetlinkSocket#receive()} share the socket's receive buffer and are valid
 * only until the next receive; {@link #copy()} detaches one.
 *
 * @param payload the bytes after the 16-byte header, position 0, native byte order
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, ByteBuffer payload) {

    public NetlinkMessage {
        payload = payload.slice().order(ByteOrder.nativeOrder());
    }

    /** A fresh view of the payload (own position and limit, native order). */
    @Override
    public ByteBuffer payload() {
        return payload.duplicate().order(ByteOrder.nativeOrder());
    }

    public int payloadLength() {
        return payload.remaining();
    }

    public boolean isError() {
        return type == Netlink.NLMSG_ERROR;
    }

    public boolean isDone() {
        return type == Netlink.NLMSG_DONE;
    }

    /** An acknowledgement: an error message carrying error code 0. */
    public boolean isAck() {
        return isError() && errno() == 0;
    }

    public boolean isMultipart() {
        return (flags & Netlink.NLM_F_MULTI) != 0;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) == flag;
    }

    /**
     * The positive errno an ERROR (or DONE) message reports, 0 for success. The kernel sends
     * it negated in the first four payload bytes; {@link NetlinkMessageCodec} checks they exist.
     */
    public int errno() {
        if ((!isError() && !isDone()) || payload.remaining() < 4) {
            return 0;
        }
        int code = payload.getInt(0);
        return code < 0 ? -code : 0;
    }

    /** The same message with its payload copied out of any shared buffer. */
    public NetlinkMessage copy() {
        ByteBuffer own = ByteBuffer.allocate(payload.remaining());
        own.put(payload.duplicate()).flip();
        return new NetlinkMessage(type, flags, sequence, portId, own);
    }
}
