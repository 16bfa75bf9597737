package io.wgmon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One attribute: its type with the NESTED and NET_BYTEORDER flags split off, and its value.
 * Integer accessors come in native order ({@code u16}, {@code u32}, {@code u64}) and big-endian
 * ({@code be16}, {@code be32}, {@code be64}); each checks the value is long enough.
 */
public record NetlinkAttribute(int type, boolean nested, boolean netByteOrder, ByteBuffer value) {

    public NetlinkAttribute {
        value = value.slice();
    }

    @Override
    public ByteBuffer value() {
        return value.duplicate().order(ByteOrder.nativeOrder());
    }

    public int length() {
        return value.remaining();
    }

    public byte[] bytes() {
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        return bytes;
    }

    public int u8() {
        require(1);
        return Byte.toUnsignedInt(value.get(0));
    }

    public int u16() {
        return Short.toUnsignedInt(ordered(ByteOrder.nativeOrder(), 2).getShort(0));
    }

    public long u32() {
        return Integer.toUnsignedLong(ordered(ByteOrder.nativeOrder(), 4).getInt(0));
    }

    public long u64() {
        return ordered(ByteOrder.nativeOrder(), 8).getLong(0);
    }

    public int be16() {
        return Short.toUnsignedInt(ordered(ByteOrder.BIG_ENDIAN, 2).getShort(0));
    }

    public long be32() {
        return Integer.toUnsignedLong(ordered(ByteOrder.BIG_ENDIAN, 4).getInt(0));
    }

    public long be64() {
        return ordered(ByteOrder.BIG_ENDIAN, 8).getLong(0);
    }

    /** The value as UTF-8 text up to the first NUL (or the end when there is none). */
    public String string() {
        byte[] bytes = bytes();
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** The value parsed as a list of attributes (a nested attribute). */
    public NetlinkAttributes attributes() {
        return NetlinkAttributes.parse(value());
    }

    private ByteBuffer ordered(ByteOrder order, int size) {
        require(size);
        return value.duplicate().order(order);
    }

    private void require(int size) {
        if (value.remaining() < size) {
            throw new NetlinkProtocolException("attribute type " + type + " has " + value.remaining()
                    + " bytes, " + size + " needed");
        }
    }
}
