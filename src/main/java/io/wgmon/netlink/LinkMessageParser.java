package io.wgmon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads {@code RTM_NEWLINK} and {@code RTM_DELLINK} messages (an {@code ifinfomsg} and attributes)
 * into {@link LinkChange}s, keeping only the name ({@code IFLA_IFNAME}) and the kind
 * ({@code IFLA_LINKINFO/IFLA_INFO_KIND}): the replies of an {@code RTM_GETLINK} dump and the
 * notifications of {@code RTNLGRP_LINK} alike (docs/architecture.md#netlink). One parser on one
 * thread; the decoders are reused.
 */
public final class LinkMessageParser {
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    /** struct ifinfomsg {u8 family, u8 pad, u16 type, s32 index, u32 flags, u32 change}. */
    static final int IFINFOMSG_LENGTH = 16;
    private static final int INDEX_OFFSET = 4;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_INFO_KIND = 1;

    private final AttributeDecoder attributes = new AttributeDecoder();
    private final AttributeDecoder linkInfo = new AttributeDecoder();

    /** A link message could not be read; the message says why, for the count and the log. */
    public static final class MalformedLinkMessage extends Exception {
        public MalformedLinkMessage(String problem) {
            super(problem);
        }
    }

    /** Whether a message of this type is a link notification this parser reads. */
    public static boolean isLinkMessage(int type) {
        return type == RTM_NEWLINK || type == RTM_DELLINK;
    }

    /**
     * @param type    {@link #RTM_NEWLINK} or {@link #RTM_DELLINK}
     * @param payload the message after its netlink header, from its position to its limit
     */
    public LinkChange parse(int type, ByteBuffer payload) throws MalformedLinkMessage {
        if (!isLinkMessage(type)) {
            throw new MalformedLinkMessage("message type " + type + " is not RTM_NEWLINK or RTM_DELLINK");
        }
        ByteBuffer in = payload.duplicate().order(ByteOrder.nativeOrder());
        if (in.remaining() < IFINFOMSG_LENGTH) {
            throw new MalformedLinkMessage("link message of " + in.remaining() + " bytes has no ifinfomsg header");
        }
        int index = in.getInt(in.position() + INDEX_OFFSET);
        String name = null;
        String kind = null;
        attributes.reset(in, in.position() + IFINFOMSG_LENGTH, in.limit());
        while (attributes.next()) {
            if (attributes.type() == IFLA_IFNAME && name == null) {
                name = attributes.string();
            } else if (attributes.type() == IFLA_LINKINFO) {
                linkInfo.enter(attributes);
                while (linkInfo.next()) {
                    if (linkInfo.type() == IFLA_INFO_KIND) {
                        kind = linkInfo.string();
                    }
                }
            }
        }
        if (attributes.error() != null) {
            throw new MalformedLinkMessage(attributes.error());
        }
        return new LinkChange(type == RTM_DELLINK, index, name, kind);
    }
}
