package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.Netlink;
import io.wgmon.netlink.NetlinkMessageCodec;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import jnr.constants.platform.Errno;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import static io.wgmon.wireguard.kernel.KernelFixtures.datagram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WireGuardLinkDumpTest {
    private static final int SEQ = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFLA_INFO_DATA = 2;

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the byte fixtures are written for x86-64");
    }

    @Test
    void theRequestDumpsAllLinksWithoutStatistics() {
        assertEquals("28000000" + "1200" + "0103" + "03000000" + "00000000"  // RTM_GETLINK, REQUEST|DUMP
                        + "00".repeat(16)                                     // ifinfomsg, AF_UNSPEC
                        + "0800" + "1d00" + "08000000",                       // IFLA_EXT_MASK RTEXT_FILTER_SKIP_STATS
                HexFormat.of().formatHex(ReplyDriver.encoded(new WireGuardLinkDump(), SEQ)));
    }

    @Test
    void keepsOnlyLinksOfKindWireguardSorted() throws Exception {
        ReplyDriver<List<String>> dump = new ReplyDriver<>(new WireGuardLinkDump(), SEQ);

        assertFalse(dump.accept(datagram(link("lo", null), link("wg1", "wireguard"), link("veth0", "veth"))));
        assertFalse(dump.accept(datagram(link("wg0", "wireguard"), link("wg-ish", "wireguardx"), link("tun0", "tun"))));
        assertTrue(dump.accept(datagram(KernelDeviceEncoder.done(SEQ))));

        assertEquals(List.of("wg0", "wg1"), dump.result());
    }

    @Test
    void noLinksNoNames() throws Exception {
        ReplyDriver<List<String>> dump = new ReplyDriver<>(new WireGuardLinkDump(), SEQ);

        assertTrue(dump.accept(datagram(link("lo", null), KernelDeviceEncoder.done(SEQ))));

        assertEquals(List.of(), dump.result());
    }

    @Test
    void aRefusalIsNamed() throws Exception {
        ReplyDriver<List<String>> dump = new ReplyDriver<>(new WireGuardLinkDump(), SEQ);
        WireGuardException e = assertThrows(WireGuardException.class,
                () -> dump.accept(datagram(KernelFixtures.errorMessage(SEQ, Errno.EPERM))));

        assertEquals(Reason.PERMISSION_DENIED, e.reason());
        assertEquals("listing network links failed: the kernel answered EPERM (Operation not permitted)", e.getMessage());
    }

    @Test
    void anInconsistentDumpAsksForAnotherTry() throws Exception {
        ReplyDriver<List<String>> dump = new ReplyDriver<>(new WireGuardLinkDump(), SEQ);
        assertFalse(dump.accept(datagram(KernelFixtures.withFlags(link("wg0", "wireguard"), Netlink.NLM_F_DUMP_INTR))));

        WireGuardException e = assertThrows(WireGuardException.class,
                () -> dump.accept(datagram(KernelDeviceEncoder.done(SEQ))));
        assertEquals(Reason.DUMP_INTERRUPTED, e.reason());
        assertEquals("the network links changed while they were being listed", e.getMessage());
    }

    @Test
    void aLinkInfoLongerThanItsMessageIsMalformed() {
        byte[] message = link("wg0", "wireguard");
        // IFLA_LINKINFO is the last attribute: make it claim 8 more bytes than there are
        int linkInfo = WireGuardGenlParserTest.indexOf(message, new byte[] {(byte) WireGuardGenl.IFLA_LINKINFO, (byte) 0x80});
        message[linkInfo - 2] += 8;
        ReplyDriver<List<String>> dump = new ReplyDriver<>(new WireGuardLinkDump(), SEQ);

        WireGuardException e = assertThrows(WireGuardException.class, () -> dump.accept(datagram(message)));

        assertTrue(e.getMessage().startsWith("malformed rtnetlink link dump: attribute type 18 claims"), e.getMessage());
    }

    @Test
    void aWireguardLinkWithoutNameIsMalformed() {
        byte[] body = new AttributeWriter().header(new byte[WireGuardGenl.IFINFOMSG_LENGTH])
                .beginNested(WireGuardGenl.IFLA_LINKINFO).putString(WireGuardGenl.IFLA_INFO_KIND, "wireguard").endNested()
                .toByteArray();
        ReplyDriver<List<String>> dump = new ReplyDriver<>(new WireGuardLinkDump(), SEQ);

        WireGuardException e = assertThrows(WireGuardException.class, () -> dump.accept(datagram(
                NetlinkMessageCodec.encode(WireGuardGenl.RTM_NEWLINK, Netlink.NLM_F_MULTI, SEQ, 0, body))));

        assertEquals("malformed rtnetlink link dump: a wireguard link has no IFLA_IFNAME", e.getMessage());
    }

    /** An RTM_NEWLINK message as a dump carries it; {@code kind} null for a link without IFLA_LINKINFO. */
    private static byte[] link(String name, String kind) {
        AttributeWriter writer = new AttributeWriter().header(new byte[WireGuardGenl.IFINFOMSG_LENGTH])
                .putString(WireGuardGenl.IFLA_IFNAME, name)
                .putU32(IFLA_MTU, 1420);
        if (kind != null) {
            writer.beginNested(WireGuardGenl.IFLA_LINKINFO)
                    .putString(WireGuardGenl.IFLA_INFO_KIND, kind)
                    .beginNested(IFLA_INFO_DATA).endNested()
                    .endNested();
        }
        return NetlinkMessageCodec.encode(WireGuardGenl.RTM_NEWLINK, Netlink.NLM_F_MULTI, SEQ, 0, writer.toByteArray());
    }
}
