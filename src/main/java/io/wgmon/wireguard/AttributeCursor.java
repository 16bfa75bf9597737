package io.wgmon.wireguard;

import io.wgmon.netlink.Netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Walks netlink attributes in place, on the bytes they arrived in: no object per attribute. One
 * cursor per nesting level, reused from nest to nest with {@link #enter(AttributeCursor)}.
 * Every header is checked: a cut-off header, a length below 4 or one that runs past its
 * container is a {@link MalformedReplyException}.
 */
final class AttributeCursor {
    private ByteBuffer buffer;
    private int next;
    private int end;
    private int type;
    private int valueOffset;
    private int valueLength;

    /** Walks {@code buffer[from, to)}; the buffer must be in native byte order. */
    AttributeCursor reset(ByteBuffer buffer, int from, int to) {
        this.buffer = buffer;
        this.next = from;
        this.end = to;
        this.type = -1;
        return this;
    }

    /** Walks the value of the attribute {@code parent} stands on (a nested attribute). */
    AttributeCursor enter(AttributeCursor parent) {
        return reset(parent.buffer, parent.valueOffset, parent.valueOffset + parent.valueLength);
    }

    /** Moves to the next attribute; false at the end of the container. */
    boolean next() throws MalformedReplyException {
        if (next >= end) {
            return false;
        }
        int remaining = end - next;
        if (remaining < Netlink.ATTRIBUTE_HEADER_LENGTH) {
            throw new MalformedReplyException("truncated attribute header: " + remaining + " bytes left in its container");
        }
        int length = Short.toUnsignedInt(buffer.getShort(next));
        int rawType = Short.toUnsignedInt(buffer.getShort(next + 2)) & Netlink.NLA_TYPE_MASK;
        if (length < Netlink.ATTRIBUTE_HEADER_LENGTH) {
            throw new MalformedReplyException("attribute type " + rawType + " has length " + length + ", below 4");
        }
        if (length > remaining) {
            throw new MalformedReplyException("attribute type " + rawType + " claims " + length + " bytes, "
                    + remaining + " left in its container");
        }
        type = rawType;
        valueOffset = next + Netlink.ATTRIBUTE_HEADER_LENGTH;
        valueLength = length - Netlink.ATTRIBUTE_HEADER_LENGTH;
        next += Math.min(Netlink.align(length), remaining);
        return true;
    }

    /** The type with the NESTED and NET_BYTEORDER flags masked off. */
    int type() {
        return type;
    }

    int length() {
        return valueLength;
    }

    void requireLength(int expected, String name) throws MalformedReplyException {
        if (valueLength != expected) {
            throw new MalformedReplyException(name + " has " + valueLength + " bytes, " + expected + " expected");
        }
    }

    int u8() {
        return Byte.toUnsignedInt(buffer.get(valueOffset));
    }

    int u16() {
        return u16(0);
    }

    int u16(int offset) {
        return Short.toUnsignedInt(buffer.getShort(valueOffset + offset));
    }

    int be16(int offset) {
        return (Byte.toUnsignedInt(buffer.get(valueOffset + offset)) << 8)
                | Byte.toUnsignedInt(buffer.get(valueOffset + offset + 1));
    }

    int u32() {
        return buffer.getInt(valueOffset);
    }

    long s64(int offset) {
        return buffer.getLong(valueOffset + offset);
    }

    /** Copies {@code count} value bytes from {@code offset} into {@code out[0, count)}. */
    void copy(int offset, byte[] out, int count) {
        buffer.get(valueOffset + offset, out, 0, count);
    }

    /** True when the value, up to its first NUL, spells {@code text}. */
    boolean valueIsString(byte[] text) {
        int length = stringLength();
        if (length != text.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buffer.get(valueOffset + i) != text[i]) {
                return false;
            }
        }
        return true;
    }

    /** The value as UTF-8 text up to its first NUL. */
    String string() {
        byte[] text = new byte[stringLength()];
        buffer.get(valueOffset, text, 0, text.length);
        return new String(text, StandardCharsets.UTF_8);
    }

    private int stringLength() {
        int length = 0;
        while (length < valueLength && buffer.get(valueOffset + length) != 0) {
            length++;
        }
        return length;
    }

    /** Overwrites the value with zeros (secrets), when the buffer is writable. */
    void zeroValue() {
        if (buffer.isReadOnly()) {
            return;
        }
        for (int i = 0; i < valueLength; i++) {
            buffer.put(valueOffset + i, (byte) 0);
        }
    }
}
