package io.wgmon.capture.nflog;

import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.NetlinkMessage;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
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

    /**
     * What nft 1.0.6 sends for {@code nft add element inet wgmon known4 { 192.0.2.9 . 40001 timeout 10s }} (strace),
     * with one sequence, NLM_F_ACK on NEWSETELEM, and without nft's NFTA_SET_ELEM_LIST_SET_ID (which names a set
     * created in the same batch; the kernel finds an existing set by its name).
     */
    @Test
    void anAddIsABatchOfOneNewSetElemWithEachElementsTimeoutAndKey() throws Exception {
        byte[] elements = HexFormat.of().parseHex("24000380" + "20000180" + "0c000400" + "0000000000002710"
                + "10000180" + "0c000100" + "c0000209" + "9c410000");
        ByteBuffer expected = ByteBuffer.allocate(120).order(ByteOrder.nativeOrder());
        expected.putInt(20).putShort((short) 0x10).putShort((short) 1).putInt(7).putInt(0).put(new byte[] {0, 0, 0, 10});
        // NFT_MSG_NEWSETELEM: length 80, type 0x0a0c, REQUEST|CREATE|ACK, seq 7; nfgenmsg NFPROTO_INET
        expected.putInt(80).putShort((short) 0x0a0c).putShort((short) 0x405).putInt(7).putInt(0).put(INET);
        expected.putShort((short) 10).putShort((short) 1).put("wgmon".getBytes(StandardCharsets.US_ASCII))
                .put(new byte[] {0, 0, 0});
        expected.putShort((short) 11).putShort((short) 2).put("known4".getBytes(StandardCharsets.US_ASCII))
                .put(new byte[] {0, 0});
        expected.put(elements);
        expected.putInt(20).putShort((short) 0x11).putShort((short) 1).putInt(7).putInt(0).put(new byte[] {0, 0, 0, 10});

        assertArrayEquals(expected.array(), NftSetMessages.addElements("wgmon", "known4", List.of(
                new NftSetMessages.TimedEndpoint(new InetSocketAddress(InetAddress.getByName("192.0.2.9"), 40001),
                        Duration.ofSeconds(10))), 7));
    }

    /** The IPv6 element as nft 1.0.6 lays it out for {@code { 2001:db8::9 . 40001 timeout 10s }}. */
    @Test
    void anIpv6KeyIsTheAddressThenThePortPadded() throws Exception {
        byte[] element = HexFormat.of().parseHex("2c000180" + "0c000400" + "0000000000002710" + "1c000180" + "18000100"
                + "20010db8000000000000000000000009" + "9c410000");
        byte[] batch = NftSetMessages.addElements("wgmon", "known6", List.of(new NftSetMessages.TimedEndpoint(
                new InetSocketAddress(InetAddress.getByName("2001:db8::9"), 40001), Duration.ofSeconds(10))), 7);
        // BEGIN (20), NEWSETELEM header (16), nfgenmsg (4), table (12), set (12), the elements' header (4)
        byte[] actual = Arrays.copyOfRange(batch, 20 + 16 + 4 + 12 + 12 + 4, batch.length - 20);
        assertArrayEquals(element, actual);
    }
}
