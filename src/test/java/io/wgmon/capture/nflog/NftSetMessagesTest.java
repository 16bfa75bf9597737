package io.wgmon.capture.nflog;

import io.wgmon.capture.nflog.NftSetMessages.SetElement;
import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkMessageCodec;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    /** The one message of a datagram the kernel sent (6.18), header included. */
    private static NetlinkMessage received(String hex) {
        byte[] datagram = hex(hex);
        List<NetlinkMessage> messages = NetlinkMessageCodec.decode(datagram, datagram.length);
        assertEquals(1, messages.size());
        return messages.get(0);
    }

    private static InetSocketAddress endpoint(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    private static final String TABLE_WGMON = "0a000100 77676d6f6e000000";
    private static final String SET_SEEN4 = "0a000200 7365656e34000000";

    /**
     * What nft 1.0.6 sends for {@code nft get element inet wgmon seen4 { 192.0.2.9 . 40001 }} (strace; NLM_F_ACK),
     * but for the order of the table and the set: nft names the set first, the kernel takes them by type.
     */
    @Test
    void aGetNamesTheElementByItsKeyAsNftDoes() throws Exception {
        assertEquals(0x0a0d, NftSetMessages.GET_SET_ELEM_TYPE);
        byte[] expected = hex("01000000" + TABLE_WGMON + SET_SEEN4
                + "18000380" + "14000180" + "10000180" + "0c000100" + "c0000209" + "9c410000");
        assertArrayEquals(expected, NftSetMessages.getElement("wgmon", "seen4", endpoint("192.0.2.9", 40001)));
    }

    /** nft 1.0.6's element for {@code nft get element inet wgmon seen6 { 2001:db8::9 . 40001 }} (strace). */
    @Test
    void aGetOfAnIpv6ElementHasTheAddressThenThePortPadded() throws Exception {
        byte[] expected = hex("01000000" + TABLE_WGMON + "0a000200 7365656e36000000"
                + "24000380" + "20000180" + "1c000180" + "18000100" + "20010db8000000000000000000000009" + "9c410000");
        assertArrayEquals(expected, NftSetMessages.getElement("wgmon", "seen6", endpoint("2001:db8::9", 40001)));
    }

    /** What nft 1.0.6 sends for {@code nft list set inet wgmon seen4}'s elements (strace; NLM_F_DUMP), in our order. */
    @Test
    void aDumpNamesOnlyTheTableAndTheSet() {
        assertArrayEquals(hex("01000000" + TABLE_WGMON + SET_SEEN4), NftSetMessages.dumpElements("wgmon", "seen4"));
    }

    /**
     * The kernel's answer to a get of {@code 192.0.2.9 . 40001}, added with {@code timeout 360s expires 350s} to a
     * set of {@code timeout 360s}: the element's timeout is the set's, so the kernel leaves it out.
     */
    @Test
    void aGetsReplyHasTheKeyAndTheExpirationAndNoTimeoutWhenItIsTheSets() throws Exception {
        NetlinkMessage reply = received("500000000c0a0000010000006e2300000100000f" + TABLE_WGMON + SET_SEEN4
                + "24000300" + "20000100" + "10000100" + "0c000100" + "c0000209" + "9c410000"
                + "0c000500" + "0000000000055570");
        assertEquals(List.of(new SetElement(endpoint("192.0.2.9", 40001), null, Duration.ofMillis(349_552))),
                NftSetMessages.elements(reply));
    }

    @Test
    void anIpv6ElementsKeyIsSixteenBytesOfAddressAndFourOfPort() throws Exception {
        NetlinkMessage reply = received("5c0000000c0a0000020000006e2300000100000f" + TABLE_WGMON
                + "0a000200 7365656e36000000" + "30000300" + "2c000100" + "1c000100" + "18000100"
                + "20010db8000000000000000000000009" + "9c410000" + "0c000500" + "0000000000055580");
        assertEquals(List.of(new SetElement(endpoint("2001:db8::9", 40001), null, Duration.ofMillis(349_568))),
                NftSetMessages.elements(reply));
    }

    /**
     * A dump of set sent4 (timeout 360s) holding {@code 192.0.2.8 . 40001 expires 90s} and {@code 192.0.2.7 . 40001
     * timeout 100s expires 90s}: only the second has a timeout of its own, and the kernel says it.
     */
    @Test
    void aDumpedElementWithItsOwnTimeoutCarriesIt() throws Exception {
        NetlinkMessage reply = received("7c0000000c0a0200040000006e2300000100000f" + TABLE_WGMON
                + "0a000200 73656e7434000000" + "50000300"
                + "20000100" + "10000100" + "0c000100" + "c0000208" + "9c410000" + "0c000500" + "0000000000015e04"
                + "2c000100" + "10000100" + "0c000100" + "c0000207" + "9c410000" + "0c000400" + "00000000000186a0"
                + "0c000500" + "0000000000015df0");
        assertEquals(List.of(new SetElement(endpoint("192.0.2.8", 40001), null, Duration.ofMillis(89_604)),
                new SetElement(endpoint("192.0.2.7", 40001), Duration.ofSeconds(100), Duration.ofMillis(89_584))),
                NftSetMessages.elements(reply));
    }

    /**
     * A dump of seen4 after a packet from 127.0.0.1 port 48243 met {@code udp dport 40000 update @seen4 { ip saddr
     * . udp sport }}: an element a rule adds has the set's timeout, so no NFTA_SET_ELEM_TIMEOUT either.
     */
    @Test
    void anElementARulesUpdateAddedHasNoTimeoutOfItsOwn() throws Exception {
        NetlinkMessage reply = received("700000000c0a0200050000006e2300000100000f" + TABLE_WGMON + SET_SEEN4
                + "44000300"
                + "20000100" + "10000100" + "0c000100" + "7f000001" + "bc730000" + "0c000500" + "0000000000057cc8"
                + "20000100" + "10000100" + "0c000100" + "c0000209" + "9c410000" + "0c000500" + "0000000000055570");
        assertEquals(List.of(new SetElement(endpoint("127.0.0.1", 48243), null, Duration.ofMillis(359_624)),
                new SetElement(endpoint("192.0.2.9", 40001), null, Duration.ofMillis(349_552))),
                NftSetMessages.elements(reply));
    }

    /** The dump's last NEWSETELEM has an empty list; an acknowledgement or DONE has no elements either. */
    @Test
    void anEmptyListOrAnotherMessageHasNoElements() {
        assertEquals(List.of(), NftSetMessages.elements(received("300000000c0a0200040000006e2300000100000f"
                + TABLE_WGMON + "0a000200 73656e7434000000" + "04000300")));
        assertEquals(List.of(), NftSetMessages.elements(received("1400000003000200040000006e23000000000000")));
    }

    @Test
    void theLastRefreshIsTheTimeoutMinusTheExpirationAgoAndNeverLaterThanNow() throws Exception {
        Instant now = Instant.parse("2026-12-08T01:00:00Z");
        InetSocketAddress endpoint = endpoint("192.0.2.9", 40001);
        assertEquals(now.minusMillis(10_448), new SetElement(endpoint, null, Duration.ofMillis(349_552))
                .lastRefresh(Duration.ofSeconds(360), now));
        assertEquals(now.minusMillis(10_416), new SetElement(endpoint, Duration.ofSeconds(100),
                Duration.ofMillis(89_584)).lastRefresh(Duration.ofSeconds(360), now));
        assertEquals(now, new SetElement(endpoint, null, Duration.ofSeconds(400)).lastRefresh(Duration.ofSeconds(360),
                now));
    }

    private static NetlinkMessage newSetElem(String elements) {
        return new NetlinkMessage(NftSetMessages.NEW_SET_ELEM_TYPE, 0, 1, 0, ByteBuffer.wrap(hex("0100000f"
                + TABLE_WGMON + SET_SEEN4 + elements)));
    }

    private static void assertMalformed(String why, String elements, String problem) {
        NetlinkException e = assertThrows(NetlinkException.class, () -> NftSetMessages.elements(newSetElem(elements)),
                why);
        assertEquals(NetlinkException.Reason.MALFORMED, e.reason(), why);
        assertTrue(e.getMessage().contains(problem), why + ": " + e.getMessage());
    }

    @Test
    void malformedElementsAreOneClearError() {
        assertMalformed("an element longer than its list", "24000300" + "30000100" + "10000100" + "0c000100"
                + "c0000209" + "9c410000" + "0c000500" + "0000000000055570", "claims 48 bytes");
        assertMalformed("a key of six bytes", "24000300" + "20000100" + "10000100" + "0a000100" + "c0000209"
                + "9c410000" + "0c000500" + "0000000000055570", "key has 6 bytes");
        assertMalformed("no key", "14000300" + "10000100" + "0c000500" + "0000000000055570",
                "without NFTA_SET_ELEM_KEY");
        assertMalformed("an expiration of four bytes", "20000300" + "1c000100" + "10000100" + "0c000100" + "c0000209"
                + "9c410000" + "08000500" + "00055570", "NFTA_SET_ELEM_EXPIRATION has 4 bytes");
        assertMalformed("a negative timeout", "30000300" + "2c000100" + "10000100" + "0c000100" + "c0000209"
                + "9c410000" + "0c000400" + "8000000000000000" + "0c000500" + "0000000000055570",
                "NFTA_SET_ELEM_TIMEOUT out of range");
        assertMalformed("a cut-off attribute header", "06000300" + "0200", "truncated attribute header");
        assertThrows(NetlinkException.class, () -> NftSetMessages.elements(new NetlinkMessage(
                NftSetMessages.NEW_SET_ELEM_TYPE, 0, 1, 0, ByteBuffer.wrap(new byte[2]))));
    }
}
