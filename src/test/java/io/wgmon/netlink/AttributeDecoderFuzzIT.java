package io.wgmon.netlink;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any bytes as attributes: every getter on every attribute, every attribute entered as a nest,
 * and nothing throws during the walk; afterwards {@code check()} throws MALFORMED exactly when
 * {@code error()} names a problem (docs/architecture.md#netlink).
 */
class AttributeDecoderFuzzIT {
    private static final int MAX_DEPTH = 4;
    private static final byte[] KIND = {'w', 'g'};

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] attributes) {
        AttributeDecoder root = AttributeDecoder.of(ByteBuffer.wrap(attributes));
        walk(root, 0);
        assertFalse(root.next(), "next() after the end of the walk");
        if (root.error() == null) {
            root.check();
        } else {
            NetlinkException e = assertThrows(NetlinkException.class, root::check);
            assertEquals(NetlinkException.Reason.MALFORMED, e.reason());
        }
    }

    private static void walk(AttributeDecoder decoder, int depth) {
        while (decoder.next()) {
            int length = decoder.length();
            assertTrue(length >= 0);
            assertTrue(decoder.type() >= 0 && decoder.type() <= Netlink.NLA_TYPE_MASK);
            assertEquals(length, decoder.value().remaining());
            assertEquals(length, decoder.bytes().length);
            assertNotNull(decoder.string());
            decoder.valueIsString(KIND);
            if (depth < MAX_DEPTH) {
                walk(decoder.nested(), depth + 1);
            }
            if (decoder.error() != null) {
                assertFalse(decoder.next(), "next() after an error in a nested walk");
                return;
            }
            // the getters last: one that does not fit records an error and ends the walk
            decoder.uint8();
            decoder.uint16();
            decoder.be16();
            decoder.uint32();
            decoder.be32();
            decoder.uint64();
            decoder.be64();
        }
    }
}
