package io.wgmon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Builds a message body: an optional family header, then attributes, each padded to 4 bytes.
 * Nested attributes are opened with {@link #beginNested(int)} (which sets NLA_F_NESTED) and
 * closed with {@link #endNested()}. Not thread-safe; one writer per message.
 */
public final class AttributeWriter {
    private static final int MAX_ATTRIBUTE_LENGTH = 0xffff;

    private ByteBuffer out = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
    private final Deque<Integer> openNested = new ArrayDeque<>();

    /** Raw bytes such as nfgenmsg or genlmsghdr, padded to 4. */
    public AttributeWriter header(byte[] familyHeader) {
        ensure(Netlink.align(familyHeader.length));
        out.put(familyHeader);
        pad();
        return this;
    }

    public AttributeWriter put(int type, byte[] value) {
        int length = Netlink.ATTRIBUTE_HEADER_LENGTH + value.length;
        if (length > MAX_ATTRIBUTE_LENGTH) {
            throw new IllegalArgumentException("attribute type " + type + " too long: " + value.length + " bytes");
        }
        checkType(type);
        ensure(Netlink.align(length));
        out.putShort((short) length).putShort((short) type).put(value);
        pad();
        return this;
    }

    public AttributeWriter putU8(int type, int value) {
        return put(type, new byte[] {(byte) value});
    }

    public AttributeWriter putU16(int type, int value) {
        return put(type, ordered(2, ByteOrder.nativeOrder()).putShort((short) value).array());
    }

    public AttributeWriter putU32(int type, int value) {
        return put(type, ordered(4, ByteOrder.nativeOrder()).putInt(value).array());
    }

    public AttributeWriter putU64(int type, long value) {
        return put(type, ordered(8, ByteOrder.nativeOrder()).putLong(value).array());
    }

    public AttributeWriter putBe16(int type, int value) {
        return put(type, ordered(2, ByteOrder.BIG_ENDIAN).putShort((short) value).array());
    }

    public AttributeWriter putBe32(int type, int value) {
        return put(type, ordered(4, ByteOrder.BIG_ENDIAN).putInt(value).array());
    }

    public AttributeWriter putBe64(int type, long value) {
        return put(type, ordered(8, ByteOrder.BIG_ENDIAN).putLong(value).array());
    }

    /** UTF-8 text with a terminating NUL, as the kernel's NLA_NUL_STRING expects. */
    public AttributeWriter putString(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        return put(type, Arrays.copyOf(text, text.length + 1));
    }

    public AttributeWriter beginNested(int type) {
        checkType(type);
        ensure(Netlink.ATTRIBUTE_HEADER_LENGTH);
        openNested.push(out.position());
        out.putShort((short) 0).putShort((short) (type | Netlink.NLA_F_NESTED));
        return this;
    }

    public AttributeWriter endNested() {
        if (openNested.isEmpty()) {
            throw new IllegalStateException("endNested without beginNested");
        }
        int start = openNested.pop();
        int length = out.position() - start;
        if (length > MAX_ATTRIBUTE_LENGTH) {
            throw new IllegalArgumentException("nested attribute too long: " + length + " bytes");
        }
        out.putShort(start, (short) length);
        return this;
    }

    public byte[] toByteArray() {
        if (!openNested.isEmpty()) {
            throw new IllegalStateException(openNested.size() + " nested attribute(s) not ended");
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    private static void checkType(int type) {
        if (type < 0 || type > Netlink.NLA_TYPE_MASK) {
            throw new IllegalArgumentException("attribute type out of range: " + type);
        }
    }

    private static ByteBuffer ordered(int size, ByteOrder order) {
        return ByteBuffer.allocate(size).order(order);
    }

    private void pad() {
        while ((out.position() & 3) != 0) {
            out.put((byte) 0);
        }
    }

    private void ensure(int extra) {
        if (out.remaining() < extra) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + extra))
                    .order(ByteOrder.nativeOrder());
            bigger.put(out.array(), 0, out.position());
            out = bigger;
        }
    }
}
