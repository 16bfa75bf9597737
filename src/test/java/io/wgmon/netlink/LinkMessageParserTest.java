package io.wgmon.netlink;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** RTM_NEWLINK / RTM_DELLINK payloads as the kernel sends them, written out byte by byte. */
class LinkMessageParserTest {
    // ifinfomsg: family 0, pad, type ARPHRD_NONE (0xfffe), index 7, flags IFF_UP|IFF_POINTOPOINT|IFF_NOARP|IFF_RUNNING, change 0
    private static final String IFINFOMSG = "00" + "00" + "feff" + "07000000" + "d1000100" + "00000000";
    private static final String IFNAME_WG0 = "0800" + "0300" + "77673000";                      // IFLA_IFNAME "wg0\0"
    private static final String MTU = "0800" + "0400" + "1c050000";                             // IFLA_MTU 1308, skipped
    private static final String LINKINFO_WIREGUARD = "1400" + "1200"                             // IFLA_LINKINFO (no NESTED flag, as rtnetlink sends it)
            + "0e00" + "0100" + "776972656775617264" + "00" + "0000";                         // IFLA_INFO_KIND "wireguard\0" + pad
    private static final String LINKINFO_TUN_NESTED = "0c00" + "1280"                            // IFLA_LINKINFO with NLA_F_NESTED
            + "0800" + "0100" + "74756e00";                                                  // IFLA_INFO_KIND "tun\0"

    private final LinkMessageParser parser = new LinkMessageParser();

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the byte fixtures are written for x86-64");
    }

    @Test
    void aDeletedWireGuardLink() throws Exception {
        LinkChange change = parser.parse(LinkMessageParser.RTM_DELLINK, bytes(IFINFOMSG + IFNAME_WG0 + MTU + LINKINFO_WIREGUARD));

        assertEquals(new LinkChange(true, 7, "wg0", "wireguard"), change);
    }

    @Test
    void aNewTunLinkWithANestedFlag() throws Exception {
        LinkChange change = parser.parse(LinkMessageParser.RTM_NEWLINK, bytes(IFINFOMSG + LINKINFO_TUN_NESTED + IFNAME_WG0));

        assertEquals(new LinkChange(false, 7, "wg0", "tun"), change);
    }

    @Test
    void aLinkWithoutANameIsLeftForTheCallerToJudge() throws Exception {
        assertEquals(new LinkChange(true, 7, null, null), parser.parse(LinkMessageParser.RTM_DELLINK, bytes(IFINFOMSG + MTU)));
    }

    @Test
    void aLinkWithoutLinkInfoHasNoKind() throws Exception {
        assertEquals(new LinkChange(false, 7, "wg0", null), parser.parse(LinkMessageParser.RTM_NEWLINK, bytes(IFINFOMSG + IFNAME_WG0)));
    }

    @Test
    void malformedMessagesSayWhy() {
        assertEquals("link message of 12 bytes has no ifinfomsg header",
                malformed(LinkMessageParser.RTM_NEWLINK, IFINFOMSG.substring(0, 24)));
        // an IFLA_IFNAME that claims 12 bytes where 8 are left
        assertEquals("attribute type 3 claims 12 bytes, 8 left in its container",
                malformed(LinkMessageParser.RTM_NEWLINK, IFINFOMSG + "0c00" + "0300" + "77673000"));
        assertEquals("message type 18 is not RTM_NEWLINK or RTM_DELLINK", malformed(18, IFINFOMSG + IFNAME_WG0));
    }

    @Test
    void onlyNewAndDelLinkAreLinkMessages() {
        assertTrue(LinkMessageParser.isLinkMessage(16));
        assertTrue(LinkMessageParser.isLinkMessage(17));
        assertFalse(LinkMessageParser.isLinkMessage(20)); // RTM_NEWADDR
    }

    /** The parser is reused: a malformed message leaves nothing behind for the next one. */
    @Test
    void aGoodMessageAfterABadOneParses() throws Exception {
        malformed(LinkMessageParser.RTM_NEWLINK, IFINFOMSG + "ff00" + "0300");
        assertEquals(new LinkChange(true, 7, "wg0", "wireguard"),
                parser.parse(LinkMessageParser.RTM_DELLINK, bytes(IFINFOMSG + IFNAME_WG0 + LINKINFO_WIREGUARD)));
    }

    private String malformed(int type, String hex) {
        return assertThrows(LinkMessageParser.MalformedLinkMessage.class, () -> parser.parse(type, bytes(hex))).getMessage();
    }

    private static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
    }
}
