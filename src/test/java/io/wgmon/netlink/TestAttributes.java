package io.wgmon.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A list of attributes decoded with {@link AttributeDecoder} into objects, for tests that look
 * at the shape of a message (which types, in which order); a malformed one fails the test.
 */
public record TestAttributes(List<TestAttributes.TestAttribute> list) implements Iterable<TestAttributes.TestAttribute> {

    /** One attribute: masked type and a view of its value. */
    public record TestAttribute(int type, boolean nested, ByteBuffer value) {
        public byte[] bytes() {
            byte[] bytes = new byte[value.remaining()];
            value.duplicate().get(bytes);
            return bytes;
        }

        public TestAttributes attributes() {
            return parse(value.duplicate());
        }
    }

    /** The attributes from {@code slice}'s position to its limit. */
    public static TestAttributes parse(ByteBuffer slice) {
        AttributeDecoder decoder = AttributeDecoder.of(slice);
        List<TestAttribute> attributes = new ArrayList<>();
        while (decoder.next()) {
            attributes.add(new TestAttribute(decoder.type(), decoder.isNested(), decoder.value()));
        }
        decoder.check();
        return new TestAttributes(List.copyOf(attributes));
    }

    public int size() {
        return list.size();
    }

    public Optional<TestAttribute> first(int type) {
        return list.stream().filter(attribute -> attribute.type() == type).findFirst();
    }

    @Override
    public Iterator<TestAttribute> iterator() {
        return list.iterator();
    }
}
