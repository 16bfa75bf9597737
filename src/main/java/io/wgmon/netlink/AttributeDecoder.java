package io.wgmon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Walks netlink attributes in place, on the bytes they arrived in, in the manner of
 * mdlayher/netlink's AttributeDecoder (docs/architecture.md#netlink): {@link #next()} moves to the next
 * attribute, typed getters read its value. Nothing throws mid-walk: the first malformed
 * attribute (a cut-off header, a length below 4 or past its container, a value too short for
 * its getter) records an error, after which {@link #next()} returns false on this decoder and
 * on every nested one; {@link #error()} or {@link #check()} surfaces it once the walk is over.
 *
 * <p>Nested attributes are walked by a decoder {@link #enter(AttributeDecoder) entered} on the
 * parent's current attribute (reusable, no object per attribute) or by {@link #nested()}; they
 * share the root's error. One decoder belongs to one thread.
 */
public final class AttributeDecoder {
    private ByteBuffer buffer;
    private int next;
    private int end;
    private int rawType;
    private int valueOffset;
    private int valueLength;
    private AttributeDecoder root = this;
    private String error;

    /** A decoder for {@code slice}'s bytes from its position to its limit. */
    public static AttributeDecoder of(ByteBuffer slice) {
        return new AttributeDecoder().reset(slice, slice.position(), slice.limit());
    }

    /** Walks {@code buffer[from, to)} as a root: any earlier error is forgotten. */
    public AttributeDecoder reset(ByteBuffer buffer, int from, int to) {
        this.buffer = buffer.order() == ByteOrder.nativeOrder() ? buffer : buffer.duplicate().order(ByteOrder.nativeOrder());
        this.next = from;
        this.end = to;
        this.rawType = -1;
        this.root = this;
        this.error = null;
        return this;
    }

    /** Walks the value of the attribute {@code parent} stands on; errors go to the parent's root. */
    public AttributeDecoder enter(AttributeDecoder parent) {
        this.buffer = parent.buffer;
        this.next = parent.valueOffset;
        this.end = parent.valueOffset + parent.valueLength;
        this.rawType = -1;
        this.root = parent.root;
        this.error = null;
        return this;
    }

    /** A new decoder for the current attribute's value. */
    public AttributeDecoder nested() {
        return new AttributeDecoder().enter(this);
    }

    /** Moves to the next attribute; false at the end of the container or once an error is recorded. */
    public boolean next() {
        if (next >= end || root.error != null) {
            return false;
        }
        int remaining = end - next;
        if (remaining < Netlink.ATTRIBUTE_HEADER_LENGTH) {
            return fail("truncated attribute header: " + remaining + " bytes left in its container");
        }
        int length = Short.toUnsignedInt(buffer.getShort(next));
        int header = Short.toUnsignedInt(buffer.getShort(next + 2));
        int maskedType = header & Netlink.NLA_TYPE_MASK;
        if (length < Netlink.ATTRIBUTE_HEADER_LENGTH) {
            return fail("attribute type " + maskedType + " has length " + length + ", below 4");
        }
        if (length > remaining) {
            return fail("attribute type " + maskedType + " claims " + length + " bytes, " + remaining
                    + " left in its container");
        }
        rawType = header;
        valueOffset = next + Netlink.ATTRIBUTE_HEADER_LENGTH;
        valueLength = length - Netlink.ATTRIBUTE_HEADER_LENGTH;
        next += Math.min(Netlink.align(length), remaining);
        return true;
    }

    /** Records {@code problem} unless an earlier one is recorded; always returns false. */
    public boolean fail(String problem) {
        if (root.error == null) {
            root.error = problem;
        }
        return false;
    }

    /** The first problem met by this walk (or its root's), null when there was none. */
    public String error() {
        return root.error;
    }

    /** @throws NetlinkException (MALFORMED) with the first problem, when there was one */
    public void check() {
        if (root.error != null) {
            throw NetlinkException.malformed(root.error);
        }
    }

    /** The type with the NESTED and NET_BYTEORDER flags masked off. */
    public int type() {
        return rawType & Netlink.NLA_TYPE_MASK;
    }

    public boolean isNested() {
        return (rawType & Netlink.NLA_F_NESTED) != 0;
    }

    public boolean isNetByteOrder() {
        return (rawType & Netlink.NLA_F_NET_BYTEORDER) != 0;
    }

    /** Where the value starts in the walked buffer (an absolute index), for a reader that takes it in place. */
    public int valueOffset() {
        return valueOffset;
    }

    /** The value's length in bytes. */
    public int length() {
        return valueLength;
    }

    /** False (and an error "NAME has N bytes, E expected") unless the value has exactly {@code expected} bytes. */
    public boolean requireLength(int expected, String name) {
        return valueLength == expected || fail(name + " has " + valueLength + " bytes, " + expected + " expected");
    }

    public int uint8() {
        return has(0, 1) ? Byte.toUnsignedInt(buffer.get(valueOffset)) : 0;
    }

    public int uint16() {
        return uint16At(0);
    }

    /** The 32 bits in native order (Integer.toUnsignedLong for values above 2^31). */
    public int uint32() {
        return has(0, 4) ? buffer.getInt(valueOffset) : 0;
    }

    public long uint64() {
        return int64At(0);
    }

    public int be16() {
        return be16At(0);
    }

    /** The 32 bits in network order (Integer.toUnsignedLong for values above 2^31). */
    public int be32() {
        if (!has(0, 4)) {
            return 0;
        }
        int value = buffer.getInt(valueOffset);
        return nativeIsBig() ? value : Integer.reverseBytes(value);
    }

    public long be64() {
        return be64At(0);
    }

    public int uint16At(int offset) {
        return has(offset, 2) ? Short.toUnsignedInt(buffer.getShort(valueOffset + offset)) : 0;
    }

    public int be16At(int offset) {
        return has(offset, 2)
                ? (Byte.toUnsignedInt(buffer.get(valueOffset + offset)) << 8) | Byte.toUnsignedInt(buffer.get(valueOffset + offset + 1))
                : 0;
    }

    public long int64At(int offset) {
        return has(offset, 8) ? buffer.getLong(valueOffset + offset) : 0;
    }

    public long be64At(int offset) {
        if (!has(offset, 8)) {
            return 0;
        }
        long value = buffer.getLong(valueOffset + offset);
        return nativeIsBig() ? value : Long.reverseBytes(value);
    }

    /** Copies {@code count} value bytes from {@code offset} into {@code out[0, count)}. */
    public void copy(int offset, byte[] out, int count) {
        if (has(offset, count)) {
            buffer.get(valueOffset + offset, out, 0, count);
        }
    }

    public byte[] bytes() {
        byte[] bytes = new byte[valueLength];
        copy(0, bytes, valueLength);
        return bytes;
    }

    /** A view of the value (own position and limit, native order), valid as long as the walked bytes. */
    public ByteBuffer value() {
        return buffer.duplicate().position(valueOffset).limit(valueOffset + valueLength).slice()
                .order(ByteOrder.nativeOrder());
    }

    /** The value as UTF-8 text up to its first NUL (or its end). */
    public String string() {
        byte[] text = new byte[stringLength()];
        buffer.get(valueOffset, text, 0, text.length);
        return new String(text, StandardCharsets.UTF_8);
    }

    /** True when the value, up to its first NUL, spells {@code text}. */
    public boolean valueIsString(byte[] text) {
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

    /** Overwrites the value with zeros (secrets), when the buffer is writable. */
    public void zeroValue() {
        if (buffer.isReadOnly()) {
            return;
        }
        for (int i = 0; i < valueLength; i++) {
            buffer.put(valueOffset + i, (byte) 0);
        }
    }

    private int stringLength() {
        int length = 0;
        while (length < valueLength && buffer.get(valueOffset + length) != 0) {
            length++;
        }
        return length;
    }

    private boolean has(int offset, int size) {
        return offset + size <= valueLength
                || fail("attribute type " + type() + " has " + valueLength + " bytes, " + (offset + size) + " needed");
    }

    private static boolean nativeIsBig() {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
    }
}
