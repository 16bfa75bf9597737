package io.wgmon.netlink;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.wgmon.netlink.Hex.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NetlinkAttributesTest {

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

        NetlinkAttribute outer = NetlinkAttributes.parse(ByteBuffer.wrap(body)).list().get(0);
        assertEquals(8, outer.type());
        assertTrue(outer.nested());
        NetlinkAttributes inner = outer.attributes();
        assertEquals(0x1234, inner.first(1).orElseThrow().u16());
        assertEquals(7, inner.first(2).orElseThrow().attributes().first(3).orElseThrow().u8());
    }

    @Test
    void masksTheFlagBitsOffTheType() {
        NetlinkAttributes attributes = NetlinkAttributes.parse(ByteBuffer.wrap(bytes("08 00 05 40 00 00 00 2a")));
        NetlinkAttribute attribute = attributes.list().get(0);
        assertEquals(5, attribute.type());
        assertTrue(attribute.netByteOrder());
        assertFalse(attribute.nested());
        assertEquals(42, attribute.be32());
    }

    @Test
    void readsNativeAndBigEndianValues() {
        byte[] body = bytes("0c 00 01 00 01 02 03 04 05 06 07 08");
        NetlinkAttribute attribute = NetlinkAttributes.parse(ByteBuffer.wrap(body)).list().get(0);
        assertEquals(0x0102, attribute.be16());
        assertEquals(0x0201, attribute.u16());
        assertEquals(0x01020304L, attribute.be32());
        assertEquals(0x04030201L, attribute.u32());
        assertEquals(0x0102030405060708L, attribute.be64());
        assertEquals(0x0807060504030201L, attribute.u64());
    }

    @Test
    void aValueTooShortForTheAccessorIsAProtocolError() {
        NetlinkAttribute attribute = NetlinkAttributes.parse(ByteBuffer.wrap(bytes("06 00 04 00 01 02 00 00")))
                .list().get(0);
        NetlinkProtocolException e = assertThrows(NetlinkProtocolException.class, attribute::be32);
        assertEquals("attribute type 4 has 2 bytes, 4 needed", e.getMessage());
    }

    @Test
    void stringStopsAtTheFirstNul() {
        NetlinkAttribute attribute = NetlinkAttributes.parse(ByteBuffer.wrap(bytes("0b 00 0a 00 77 67 20 00 78 79 00 00")))
                .list().get(0);
        assertEquals("wg ", attribute.string());
    }

    @Test
    void findsFirstAndAllOfAType() {
        byte[] body = new AttributeWriter().putU8(1, 1).putU8(2, 2).putU8(1, 3).toByteArray();
        NetlinkAttributes attributes = NetlinkAttributes.parse(ByteBuffer.wrap(body));
        assertEquals(3, attributes.size());
        assertEquals(1, attributes.first(1).orElseThrow().u8());
        assertEquals(2, attributes.all(1).size());
        assertTrue(attributes.first(9).isEmpty());
    }

    @Test
    void parsesFromTheBufferPosition() {
        ByteBuffer body = ByteBuffer.wrap(bytes("02 00 00 01  05 00 04 00 09 00 00 00"));
        body.position(4);
        assertEquals(9, NetlinkAttributes.parse(body).first(4).orElseThrow().u8());
    }

    @Test
    void emptySliceHasNoAttributes() {
        assertEquals(0, NetlinkAttributes.parse(ByteBuffer.allocate(0)).size());
    }

    @Test
    void rejectsAnAttributeLengthBelowFour() {
        NetlinkProtocolException e = assertThrows(NetlinkProtocolException.class,
                () -> NetlinkAttributes.parse(ByteBuffer.wrap(bytes("03 00 01 00 00 00 00 00"))));
        assertEquals("attribute at offset 0 (type 1) has length 3, below 4", e.getMessage());
    }

    @Test
    void rejectsAnAttributeRunningPastTheEnd() {
        NetlinkProtocolException e = assertThrows(NetlinkProtocolException.class,
                () -> NetlinkAttributes.parse(ByteBuffer.wrap(bytes("05 00 01 00 01 00 00 00  10 00 02 00 00 00 00 00"))));
        assertEquals("attribute at offset 8 (type 2) claims 16 bytes, 8 available", e.getMessage());
    }

    @Test
    void rejectsATruncatedAttributeHeader() {
        assertThrows(NetlinkProtocolException.class,
                () -> NetlinkAttributes.parse(ByteBuffer.wrap(bytes("05 00 01 00 01 00 00 00  08 00"))));
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
