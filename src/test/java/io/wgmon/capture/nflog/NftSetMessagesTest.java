package io.wgmon.capture.nflog;

import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.NetlinkMessage;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Canned nf_tables messages, as nft 1.0.6 and the kernel lay them out. */
class NftSetMessagesTest {
    private static final byte[] INET = {1, 0, 0, 0};

    private static NetlinkMessage newSet(AttributeWriter attributes) {
        return new NetlinkMessage(NftSetMessages.NEW_SET_TYPE, 0, 1, 0, ByteBuffer.wrap(attributes.toByteArray()));
    }

    @Test
    void theRequestNamesTheTableAndTheSetOfFamilyInet() {
        byte[] expected = new AttributeWriter().header(INET).putString(1, "wgmon").putString(2, "known4").toByteArray();
        assertArrayEquals(expected, NftSetMessages.getSet("wgmon", "known4"));
        assertEquals(0x0a0a, NftSetMessages.GET_SET_TYPE);
        assertEquals("wgmon", new String(expected, 8, 5, StandardCharsets.UTF_8));
    }

    @Test
    void theTimeoutIsMillisecondsBigEndian() {
        NetlinkMessage reply = newSet(new AttributeWriter().header(INET).putString(1, "wgmon").putString(2, "known4")
                .putBe32(3, 0x14).putBe64(11, 180_000).putBe32(12, 18_000));
        assertEquals(Optional.of(Duration.ofSeconds(180)), NftSetMessages.timeout(reply));
    }

    @Test
    void aSetWithoutATimeoutHasNone() {
        assertEquals(Optional.empty(), NftSetMessages.timeout(newSet(new AttributeWriter().header(INET)
                .putString(1, "wgmon").putString(2, "known4"))));
    }

    @Test
    void aTimeoutOfTheWrongSizeOrAnotherMessageIsNone() {
        assertEquals(Optional.empty(), NftSetMessages.timeout(newSet(new AttributeWriter().header(INET).putBe32(11, 180))));
        assertEquals(Optional.empty(), NftSetMessages.timeout(new NetlinkMessage(NftSetMessages.GET_SET_TYPE, 0, 1, 0,
                ByteBuffer.wrap(new AttributeWriter().header(INET).putBe64(11, 180_000).toByteArray()))));
        assertEquals(Optional.empty(), NftSetMessages.timeout(new NetlinkMessage(NftSetMessages.NEW_SET_TYPE, 0, 1, 0,
                ByteBuffer.wrap(new byte[2]))));
    }
}
