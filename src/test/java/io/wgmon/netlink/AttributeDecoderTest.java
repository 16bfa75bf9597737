package io.wgmon.netlink;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static io.wgmon.netlink.Hex.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AttributeDecoderTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "fixtures are little-endian");
    }

    @Test
    void padsEachAttributeToFourBytes() {
        byte[] body = new AttributeWriter()
                .putU8(1, 5)
                .putString(2, "ab")
                .putBe32(3, 0x01020304)
                .toByteArray();
        assertArrayEquals(bytes("05 00 01 00 05 00 00 00"
                + "07 00 02 00 61 62 00 00"
                + "08 00 03 00 01 02 03 04"), body);
    }

    @Test
    void familyHeaderComesFirstAndIsPadded() {
        byte[] body = new AttributeWriter().header(bytes("01 02 03")).putU16(1, 0x1234).toByteArray();
        assertArrayEquals(bytes("01 02 03 00  06 00 01 00 34 12 00 00"), body);
    }

    @Test
    void writesNestedAttributesWithTheNestedFlagAndTotalLength() {
        byte[] body = new AttributeWriter()
                .beginNested(8)
                .putU16(1, 0x1234)
                .beginNested(2).putU8(3, 7).endNested()
                .endNested()
                .toByteArray();
        assertArrayEquals(bytes("18 00 08 80  06 00 01 00 34 12 00 00  0c 00 02 80  05 00 03 00 07 00 00 00"), body);

        AttributeDecoder outer = decoder(body);
        assertTrue(outer.next());
        assertEquals(8, outer.type());
        assertTrue(outer.isNested());
        AttributeDecoder inner = outer.nested();
        assertTrue(inner.next());
        assertEquals(1, inner.type());
        assertEquals(0x1234, inner.uint16());
        assertTrue(inner.next());
        AttributeDecoder innermost = inner.nested();
        assertTrue(innermost.next());
        assertEquals(3, innermost.type());
        assertEquals(7, innermost.uint8());
        assertFalse(innermost.next());
        assertFalse(inner.next());
        assertFalse(outer.next());
        assertNull(outer.error());
    }

    @Test
    void masksTheFlagBitsOffTheType() {
        AttributeDecoder attribute = decoder(bytes("08 00 05 40 00 00 00 2a"));
        assertTrue(attribute.next());
        assertEquals(5, attribute.type());
        assertTrue(attribute.isNetByteOrder());
        assertFalse(attribute.isNested());
        assertEquals(42, attribute.be32());
    }

    @Test
    void readsNativeAndBigEndianValues() {
        AttributeDecoder attribute = decoder(bytes("0c 00 01 00 01 02 03 04 05 06 07 08"));
        assertTrue(attribute.next());
        assertEquals(0x0102, attribute.be16());
        assertEquals(0x0201, attribute.uint16());
        assertEquals(0x01020304, attribute.be32());
        assertEquals(0x04030201, attribute.uint32());
        assertEquals(0x0102030405060708L, attribute.be64());
        assertEquals(0x0807060504030201L, attribute.uint64());
        assertEquals(0x0304, attribute.be16At(2));
        assertNull(attribute.error());
    }

    @Test
    void aValueTooShortForTheGetterIsRecordedAndEndsTheWalk() {
        AttributeDecoder attributes = decoder(bytes("06 00 04 00 01 02 00 00  05 00 05 00 01 00 00 00"));
        assertTrue(attributes.next());
        assertEquals(0, attributes.be32());
        assertEquals("attribute type 4 has 2 bytes, 4 needed", attributes.error());
        assertFalse(attributes.next(), "no attribute after the first problem");
        NetlinkException e = assertThrows(NetlinkException.class, attributes::check);
        assertEquals(NetlinkException.Reason.MALFORMED, e.reason());
        assertEquals("attribute type 4 has 2 bytes, 4 needed", e.getMessage());
    }

    @Test
    void aWrongLengthIsRecordedWithTheNameGiven() {
        AttributeDecoder attribute = decoder(bytes("07 00 06 00 01 02 03 00"));
        assertTrue(attribute.next());
        assertFalse(attribute.requireLength(2, "device LISTEN_PORT"));
        assertEquals("device LISTEN_PORT has 3 bytes, 2 expected", attribute.error());
    }

    @Test
    void theFirstProblemStays() {
        AttributeDecoder attribute = decoder(bytes("05 00 01 00 01 00 00 00"));
        assertTrue(attribute.next());
        attribute.uint16();
        attribute.fail("later problem");
        assertEquals("attribute type 1 has 1 bytes, 2 needed", attribute.error());
    }

    @Test
    void aProblemInANestEndsTheWalkOfItsParents() {
        byte[] body = bytes("0c 00 08 80  08 00 01 00 01 00 00 00  05 00 02 00 07 00 00 00");
        AttributeDecoder outer = decoder(body);
        assertTrue(outer.next());
        AttributeDecoder inner = new AttributeDecoder().enter(outer);
        assertTrue(inner.next());
        inner.uint64();
        assertFalse(inner.next());
        assertFalse(outer.next());
        assertEquals("attribute type 1 has 4 bytes, 8 needed", outer.error());
        assertNull(outer.reset(ByteBuffer.wrap(body), 0, body.length).error(), "reset forgets it");
    }

    @Test
    void stringStopsAtTheFirstNul() {
        AttributeDecoder attribute = decoder(bytes("0b 00 0a 00 77 67 20 00 78 79 00 00"));
        assertTrue(attribute.next());
        assertEquals("wg ", attribute.string());
        assertTrue(attribute.valueIsString("wg ".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(attribute.valueIsString("wg".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void walksEveryAttributeInOrder() {
        byte[] body = new AttributeWriter().putU8(1, 1).putU8(2, 2).putU8(1, 3).toByteArray();
        AttributeDecoder attributes = decoder(body);
        StringBuilder seen = new StringBuilder();
        while (attributes.next()) {
            seen.append(attributes.type()).append('=').append(attributes.uint8()).append(' ');
        }
        assertEquals("1=1 2=2 1=3 ", seen.toString());
        assertNull(attributes.error());
    }

    @Test
    void walksFromTheBufferPosition() {
        ByteBuffer body = ByteBuffer.wrap(bytes("02 00 00 01  05 00 04 00 09 00 00 00"));
        body.position(4);
        AttributeDecoder attributes = AttributeDecoder.of(body);
        assertTrue(attributes.next());
        assertEquals(4, attributes.type());
        assertEquals(9, attributes.uint8());
        assertArrayEquals(new byte[] {9}, attributes.bytes());
        assertEquals(1, attributes.value().remaining());
    }

    @Test
    void zeroesAValueInPlace() {
        byte[] body = bytes("08 00 03 00 aa bb cc dd");
        AttributeDecoder attribute = decoder(body);
        assertTrue(attribute.next());
        attribute.zeroValue();
        assertArrayEquals(bytes("08 00 03 00 00 00 00 00"), body);
    }

    @Test
    void emptySliceHasNoAttributes() {
        AttributeDecoder attributes = AttributeDecoder.of(ByteBuffer.allocate(0));
        assertFalse(attributes.next());
        assertNull(attributes.error());
    }

    @Test
    void rejectsAnAttributeLengthBelowFour() {
        assertEquals("attribute type 1 has length 3, below 4", walk(bytes("03 00 01 00 00 00 00 00")));
    }

    @Test
    void rejectsAnAttributeRunningPastTheEnd() {
        assertEquals("attribute type 2 claims 16 bytes, 8 left in its container",
                walk(bytes("05 00 01 00 01 00 00 00  10 00 02 00 00 00 00 00")));
    }

    @Test
    void rejectsATruncatedAttributeHeader() {
        assertEquals("truncated attribute header: 2 bytes left in its container",
                walk(bytes("05 00 01 00 01 00 00 00  08 00")));
    }

    private static AttributeDecoder decoder(byte[] body) {
        return AttributeDecoder.of(ByteBuffer.wrap(body));
    }

    /** Walks every attribute; the error at the end. */
    private static String walk(byte[] body) {
        AttributeDecoder attributes = decoder(body);
        while (attributes.next()) {
            attributes.bytes();
        }
        return attributes.error();
    }

    @Test
    void writerRefusesUnbalancedNesting() {
        assertThrows(IllegalStateException.class, () -> new AttributeWriter().beginNested(1).toByteArray());
        assertThrows(IllegalStateException.class, () -> new AttributeWriter().endNested());
    }

    @Test
    void writerRefusesAValueTooLongForTheLengthField() {
        assertThrows(IllegalArgumentException.class, () -> new AttributeWriter().put(1, new byte[65532]));
    }
}
