package io.wgmon.capture.nflog;

import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.NetlinkMessage;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    /** What nft 1.0.6 sends for {@code nft flush set inet wgmon known4}, with one sequence and one ACK. */
    @Test
    void aFlushIsABatchOfOneDelSetElemNamingNoElement() {
        ByteBuffer expected = ByteBuffer.allocate(84).order(ByteOrder.nativeOrder());
        // NFNL_MSG_BATCH_BEGIN: length 20, type 0x10, NLM_F_REQUEST, seq 7; nfgenmsg AF_UNSPEC, v0, res_id 10 (be)
        expected.putInt(20).putShort((short) 0x10).putShort((short) 1).putInt(7).putInt(0).put(new byte[] {0, 0, 0, 10});
        // NFT_MSG_DELSETELEM: length 44, type 0x0a0e, REQUEST|ACK, seq 7; nfgenmsg NFPROTO_INET
        expected.putInt(44).putShort((short) 0x0a0e).putShort((short) 5).putInt(7).putInt(0).put(new byte[] {1, 0, 0, 0});
        // NFTA_SET_ELEM_LIST_TABLE "wgmon\0" (10 bytes, padded to 12), NFTA_SET_ELEM_LIST_SET "known4\0" (11, to 12)
        expected.putShort((short) 10).putShort((short) 1).put("wgmon".getBytes(StandardCharsets.US_ASCII))
                .put(new byte[] {0, 0, 0});
        expected.putShort((short) 11).putShort((short) 2).put("known4".getBytes(StandardCharsets.US_ASCII))
                .put(new byte[] {0, 0});
        // NFNL_MSG_BATCH_END: length 20, type 0x11, NLM_F_REQUEST, seq 7; nfgenmsg as BEGIN's
        expected.putInt(20).putShort((short) 0x11).putShort((short) 1).putInt(7).putInt(0).put(new byte[] {0, 0, 0, 10});

        assertArrayEquals(expected.array(), NftSetMessages.flushSet("wgmon", "known4", 7));
    }
}
