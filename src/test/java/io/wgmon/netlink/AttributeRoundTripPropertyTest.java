package io.wgmon.netlink;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random attribute trees survive encode, frame, decode and parse unchanged; garbage is refused cleanly. */
class AttributeRoundTripPropertyTest {

    sealed interface Node permits Leaf, Nested {
        int type();
    }

    record Leaf(int type, byte[] value) implements Node {
        @Override
        public String toString() {
            return "Leaf(" + type + ", " + Arrays.toString(value) + ")";
        }
    }

    record Nested(int type, List<Node> children) implements Node {
    }

    @Property(tries = 500)
    void encodeThenParseGivesTheSameTree(@ForAll("trees") List<Node> tree,
                                         @ForAll("familyHeaders") byte[] familyHeader) {
        AttributeWriter writer = new AttributeWriter().header(familyHeader);
        tree.forEach(node -> write(writer, node));
        byte[] body = writer.toByteArray();
        assertEquals(0, body.length % 4, "body is padded to 4");

        byte[] message = NetlinkMessageCodec.encode(0x10, Netlink.NLM_F_MULTI, 9, 77, body);
        List<NetlinkMessage> decoded = NetlinkMessageCodec.decode(message, message.length);
        assertEquals(1, decoded.size());
        ByteBuffer payload = decoded.get(0).payload();
        assertEquals(body.length, payload.remaining());

        payload.position(Netlink.align(familyHeader.length));
        AttributeDecoder attributes = AttributeDecoder.of(payload);
        assertSame(tree, attributes);
        assertNull(attributes.error());
    }

    @Property(tries = 1000)
    void garbageIsEitherWalkedOrRefusedWithARecordedError(@ForAll byte[] garbage) {
        walkAll(AttributeDecoder.of(ByteBuffer.wrap(garbage)), 0);
        try {
            for (NetlinkMessage message : NetlinkMessageCodec.decode(garbage, garbage.length)) {
                walkAll(AttributeDecoder.of(message.payload()), 0);
            }
        } catch (NetlinkException expected) {
            assertEquals(NetlinkException.Reason.MALFORMED, expected.reason());
            assertFalse(expected.getMessage().isBlank());
        }
    }

    /** Walks everything, nests included (up to a depth), with every getter; never throws. */
    private static void walkAll(AttributeDecoder attributes, int depth) {
        while (attributes.next()) {
            attributes.bytes();
            attributes.string();
            attributes.uint64();
            attributes.be32();
            if (depth < 3) {
                walkAll(attributes.nested(), depth + 1);
            }
        }
        String error = attributes.error();
        if (error != null) {
            assertFalse(error.isBlank());
            assertFalse(attributes.next(), "no attribute after an error");
        }
    }

    private static void write(AttributeWriter writer, Node node) {
        if (node instanceof Leaf leaf) {
            writer.put(leaf.type(), leaf.value());
        } else if (node instanceof Nested nested) {
            writer.beginNested(nested.type());
            nested.children().forEach(child -> write(writer, child));
            writer.endNested();
        }
    }

    private static void assertSame(List<Node> expected, AttributeDecoder actual) {
        for (Node node : expected) {
            assertTrue(actual.next(), "an attribute for " + node);
            assertEquals(node.type(), actual.type());
            if (node instanceof Leaf leaf) {
                assertFalse(actual.isNested());
                assertArrayEquals(leaf.value(), actual.bytes());
            } else if (node instanceof Nested nested) {
                assertTrue(actual.isNested());
                AttributeDecoder children = actual.nested();
                assertSame(nested.children(), children);
                assertFalse(children.next(), "no more children");
            }
        }
        assertFalse(actual.next(), "no more attributes");
    }

    @Provide
    Arbitrary<List<Node>> trees() {
        return nodes(3).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<byte[]> familyHeaders() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(8);
    }

    private Arbitrary<Node> nodes(int depth) {
        Arbitrary<Integer> types = Arbitraries.integers().between(0, Netlink.NLA_TYPE_MASK);
        Arbitrary<Node> leaf = Combinators.combine(types, Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .as(Leaf::new);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Node> nested = Combinators.combine(types, nodes(depth - 1).list().ofMaxSize(4)).as(Nested::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(1, nested));
    }
}
