package io.wgmon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** The attributes of one slice (a message body after its family header, or a nested value). */
public final class NetlinkAttributes implements Iterable<NetlinkAttribute> {
    private final List<NetlinkAttribute> attributes;

    private NetlinkAttributes(List<NetlinkAttribute> attributes) {
        this.attributes = List.copyOf(attributes);
    }

    /**
     * Parses the bytes from {@code slice}'s position to its limit. Values are views, not copies.
     *
     * @throws NetlinkProtocolException when an attribute header is cut off, or a length is
     *                                  below 4 or runs past the end
     */
    public static NetlinkAttributes parse(ByteBuffer slice) {
        ByteBuffer in = slice.slice().order(ByteOrder.nativeOrder());
        int end = in.limit();
        List<NetlinkAttribute> parsed = new ArrayList<>();
        int offset = 0;
        while (offset < end) {
            int remaining = end - offset;
            if (remaining < Netlink.ATTRIBUTE_HEADER_LENGTH) {
                throw new NetlinkProtocolException("truncated attribute header: " + remaining
                        + " bytes left at offset " + offset);
            }
            int length = Short.toUnsignedInt(in.getShort(offset));
            int rawType = Short.toUnsignedInt(in.getShort(offset + 2));
            if (length < Netlink.ATTRIBUTE_HEADER_LENGTH) {
                throw new NetlinkProtocolException("attribute at offset " + offset + " (type "
                        + (rawType & Netlink.NLA_TYPE_MASK) + ") has length " + length + ", below 4");
            }
            if (length > remaining) {
                throw new NetlinkProtocolException("attribute at offset " + offset + " (type "
                        + (rawType & Netlink.NLA_TYPE_MASK) + ") claims " + length + " bytes, "
                        + remaining + " available");
            }
            ByteBuffer value = in.duplicate().position(offset + Netlink.ATTRIBUTE_HEADER_LENGTH)
                    .limit(offset + length);
            parsed.add(new NetlinkAttribute(rawType & Netlink.NLA_TYPE_MASK,
                    (rawType & Netlink.NLA_F_NESTED) != 0,
                    (rawType & Netlink.NLA_F_NET_BYTEORDER) != 0,
                    value));
            offset += Math.min(Netlink.align(length), remaining);
        }
        return new NetlinkAttributes(parsed);
    }

    public List<NetlinkAttribute> list() {
        return attributes;
    }

    public int size() {
        return attributes.size();
    }

    /** The first attribute of this type. */
    public Optional<NetlinkAttribute> first(int type) {
        for (NetlinkAttribute attribute : attributes) {
            if (attribute.type() == type) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }

    /** Every attribute of this type, in order. */
    public List<NetlinkAttribute> all(int type) {
        return attributes.stream().filter(attribute -> attribute.type() == type).toList();
    }

    @Override
    public Iterator<NetlinkAttribute> iterator() {
        return attributes.iterator();
    }
}
