package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.NetlinkMessageCodec;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import jnr.constants.platform.Errno;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.HexFormat;

import static io.wgmon.wireguard.kernel.KernelFixtures.datagram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FamilyLookupTest {
    private static final int SEQ = 5;
    private static final int CTRL_CMD_NEWFAMILY = 1;
    private static final int CTRL_ATTR_VERSION = 3;

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the byte fixtures are written for x86-64");
    }

    @Test
    void theRequestAsksTheControllerForTheFamilyByName() {
        assertEquals("24000000" + "1000" + "0100" + "05000000" + "00000000"  // nlmsghdr: GENL_ID_CTRL, REQUEST
                        + "03010000"                                          // CTRL_CMD_GETFAMILY, version 1
                        + "0e00" + "0200" + "77697265677561726400" + "0000",  // CTRL_ATTR_FAMILY_NAME "wireguard\0"
                HexFormat.of().formatHex(ReplyDriver.encoded(new FamilyLookup("wireguard"), SEQ)));
    }

    @Test
    void theReplyCarriesTheFamilyId() throws Exception {
        ReplyDriver<Integer> lookup = new ReplyDriver<>(new FamilyLookup("wireguard"), SEQ);

        assertFalse(lookup.accept(datagram(controllerReply(SEQ - 1, 0x99))), "another request's reply is ignored");
        assertTrue(lookup.accept(datagram(controllerReply(SEQ, 0x1c))));

        assertEquals(0x1c, lookup.result());
    }

    @Test
    void enoentMeansTheModuleIsNotLoaded() throws Exception {
        ReplyDriver<Integer> lookup = new ReplyDriver<>(new FamilyLookup("wireguard"), SEQ);
        WireGuardException e = assertThrows(WireGuardException.class,
                () -> lookup.accept(datagram(KernelFixtures.errorMessage(SEQ, Errno.ENOENT))));

        assertEquals(Reason.MODULE_NOT_LOADED, e.reason());
        assertEquals("the wireguard kernel module is not loaded (no generic netlink family \"wireguard\")", e.getMessage());
    }

    @Test
    void aReplyWithoutIdIsMalformed() throws Exception {
        byte[] body = new AttributeWriter().header(new byte[] {CTRL_CMD_NEWFAMILY, 2, 0, 0})
                .putString(WireGuardGenl.CTRL_ATTR_FAMILY_NAME, "wireguard").toByteArray();
        ReplyDriver<Integer> lookup = new ReplyDriver<>(new FamilyLookup("wireguard"), SEQ);
        assertTrue(lookup.accept(datagram(NetlinkMessageCodec.encode(WireGuardGenl.GENL_ID_CTRL, 0, SEQ, 0, body))));

        WireGuardException e = assertThrows(WireGuardException.class, lookup::result);

        assertEquals(Reason.MALFORMED_REPLY, e.reason());
        assertEquals("malformed reply to the lookup of the generic netlink family \"wireguard\": no CTRL_ATTR_FAMILY_ID",
                e.getMessage());
    }

    @Test
    void aFamilyIdOfTheWrongSizeIsMalformed() {
        byte[] body = new AttributeWriter().header(new byte[] {CTRL_CMD_NEWFAMILY, 2, 0, 0})
                .putU32(WireGuardGenl.CTRL_ATTR_FAMILY_ID, 0x1c).toByteArray();
        ReplyDriver<Integer> lookup = new ReplyDriver<>(new FamilyLookup("wireguard"), SEQ);

        WireGuardException e = assertThrows(WireGuardException.class,
                () -> lookup.accept(datagram(NetlinkMessageCodec.encode(WireGuardGenl.GENL_ID_CTRL, 0, SEQ, 0, body))));

        assertEquals("malformed reply to the lookup of the generic netlink family \"wireguard\":"
                + " CTRL_ATTR_FAMILY_ID has 4 bytes, 2 expected", e.getMessage());
    }

    private static byte[] controllerReply(int sequence, int familyId) {
        byte[] body = new AttributeWriter().header(new byte[] {CTRL_CMD_NEWFAMILY, 2, 0, 0})
                .putString(WireGuardGenl.CTRL_ATTR_FAMILY_NAME, "wireguard")
                .putU16(WireGuardGenl.CTRL_ATTR_FAMILY_ID, familyId)
                .putU32(CTRL_ATTR_VERSION, 1)
                .toByteArray();
        return NetlinkMessageCodec.encode(WireGuardGenl.GENL_ID_CTRL, 0, sequence, 0, body);
    }
}
