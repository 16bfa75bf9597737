package io.wgmon.wireguard.kernel;

import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.netlink.Netlink;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import jnr.constants.platform.Errno;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import static io.wgmon.wireguard.kernel.KernelDeviceEncoder.FAMILY_ID;
import static io.wgmon.wireguard.kernel.KernelFixtures.datagram;
import static io.wgmon.wireguard.kernel.KernelFixtures.errorMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** WG_CMD_GET_DEVICE request bytes and the reading of whole replies, errors included. */
class DeviceDumpTest {
    private static final int SEQ = 77;

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the byte fixtures are written for x86-64");
    }

    @Test
    void theRequestIsADumpOfOneInterfaceByName() {
        byte[] request = ReplyDriver.encoded(new DeviceDump("wg0", FAMILY_ID, ReplyLimits.forThisHeap()), SEQ);

        assertEquals("1c000000" + "1c00" + "0103" + "4d000000" + "00000000"   // nlmsghdr: REQUEST|DUMP, seq 77
                        + "00010000"                                            // genlmsghdr: GET_DEVICE, version 1
                        + "0800" + "0200" + "77673000",                         // WGDEVICE_A_IFNAME "wg0\0"
                HexFormat.of().formatHex(request));
    }

    @Test
    void aReplyOverSeveralDatagramsIsParsedAsItArrives() throws Exception {
        Device expected = new Device("wg0", KernelFixtures.DEVICE_KEY, 51820, 0, peers(60));
        List<byte[]> messages = new KernelDeviceEncoder(1024, true, false).messages(expected, SEQ);
        assertTrue(messages.size() > 3);
        ReplyDriver<Device> dump = new ReplyDriver<>(new DeviceDump("wg0", FAMILY_ID, ReplyLimits.forThisHeap()), SEQ);

        // an answer left over from an earlier request shares the first datagram and is ignored
        assertFalse(dump.accept(datagram(errorMessage(SEQ - 1, Errno.ENODEV), messages.get(0))));
        for (int i = 1; i < messages.size(); i++) {
            assertFalse(dump.accept(datagram(messages.get(i))));
        }
        assertTrue(dump.accept(datagram(KernelDeviceEncoder.done(SEQ))));

        assertEquals(expected, dump.result());
    }

    @Test
    void enodevMeansNoSuchInterface() {
        WireGuardException e = refusal("wg7", Errno.ENODEV);

        assertEquals(Reason.NO_SUCH_DEVICE, e.reason());
        assertEquals("wg7: no such WireGuard interface", e.getMessage());
    }

    @Test
    void eopnotsuppMeansTheInterfaceIsNotWireGuard() {
        WireGuardException e = refusal("lo", Errno.EOPNOTSUPP);

        assertEquals(Reason.NO_SUCH_DEVICE, e.reason());
        assertEquals("lo: not a WireGuard interface", e.getMessage());
    }

    @Test
    void epermNamesTheMissingCapability() {
        WireGuardException e = refusal("wg0", Errno.EPERM);

        assertEquals(Reason.PERMISSION_DENIED, e.reason());
        assertEquals("wg0: reading a WireGuard device needs CAP_NET_ADMIN (the kernel answered EPERM)", e.getMessage());
    }

    @Test
    void enoentMeansTheFamilyIdIsNoLongerKnown() {
        WireGuardException e = refusal("wg0", Errno.ENOENT);

        assertEquals(Reason.MODULE_NOT_LOADED, e.reason());
        assertEquals("the wireguard kernel module is not loaded (generic netlink family id 28 is unknown to the kernel)",
                e.getMessage());
    }

    @Test
    void otherErrnosAreNamed() {
        WireGuardException e = refusal("wg0", Errno.ENOMEM);

        assertEquals(Reason.REFUSED, e.reason());
        assertEquals("wg0: reading the WireGuard device failed: the kernel answered ENOMEM (Cannot allocate memory)",
                e.getMessage());
    }

    @Test
    void aDoneCarryingAnErrorFailsTheRead() throws Exception {
        byte[] done = KernelDeviceEncoder.done(SEQ);
        ByteBuffer.wrap(done).order(ByteOrder.nativeOrder()).putInt(16, -Errno.EMSGSIZE.intValue());
        ReplyDriver<Device> dump = new ReplyDriver<>(new DeviceDump("wg0", FAMILY_ID, ReplyLimits.forThisHeap()), SEQ);

        WireGuardException e = assertThrows(WireGuardException.class, () -> dump.accept(datagram(
                new KernelDeviceEncoder(32 * 1024, false, false).messages(KernelFixtures.onePeerDevice(), SEQ).get(0),
                done)));
        assertEquals("wg0: reading the WireGuard device failed: the kernel answered EMSGSIZE (Message too long)",
                e.getMessage());
    }

    @Test
    void anInconsistentDumpAsksForAnotherTry() throws Exception {
        List<byte[]> messages = new KernelDeviceEncoder(1024, false, false)
                .messages(new Device("wg0", null, 1, 0, peers(20)), SEQ);
        ReplyDriver<Device> dump = new ReplyDriver<>(new DeviceDump("wg0", FAMILY_ID, ReplyLimits.forThisHeap()), SEQ);
        for (int i = 0; i < messages.size(); i++) {
            byte[] message = i == 1 ? KernelFixtures.withFlags(messages.get(i), Netlink.NLM_F_DUMP_INTR) : messages.get(i);
            assertFalse(dump.accept(datagram(message)));
        }

        WireGuardException e = assertThrows(WireGuardException.class, () -> dump.accept(datagram(KernelDeviceEncoder.done(SEQ))));
        assertEquals(Reason.DUMP_INTERRUPTED, e.reason());
        assertEquals("wg0: the device changed while it was being read", e.getMessage());
    }

    @Test
    void aMessageOfAnotherFamilyIsMalformed() {
        byte[] message = KernelFixtures.onePeerMessage(SEQ);
        ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).putShort(4, (short) 0x10);
        ReplyDriver<Device> dump = new ReplyDriver<>(new DeviceDump("wg0", FAMILY_ID, ReplyLimits.forThisHeap()), SEQ);

        WireGuardException e = assertThrows(WireGuardException.class, () -> dump.accept(datagram(message)));

        assertEquals(Reason.MALFORMED_REPLY, e.reason());
        assertEquals("wg0: malformed WireGuard netlink reply: message type 16 in the reply to family 28", e.getMessage());
    }

    @Test
    void aDumpWithMorePeersThanTheBudgetIsTooLarge() throws Exception {
        WireGuardException e = tooLarge(new io.wgmon.wireguard.ReplyLimits(1 << 20, 10, 1000));

        assertTrue(e.getMessage().startsWith("wg0: WireGuard netlink dump has more than 10 peers"), e.getMessage());
    }

    @Test
    void aDumpWithMoreAllowedIpsThanTheBudgetIsTooLarge() throws Exception {
        WireGuardException e = tooLarge(new io.wgmon.wireguard.ReplyLimits(1 << 20, 1000, 15));

        assertTrue(e.getMessage().startsWith("wg0: WireGuard netlink dump has more than 15 allowed IPs"), e.getMessage());
    }

    @Test
    void aDumpLargerThanTheByteCapIsTooLarge() throws Exception {
        WireGuardException e = tooLarge(new io.wgmon.wireguard.ReplyLimits(2048, 1000, 1000));

        assertTrue(e.getMessage().startsWith("wg0: WireGuard netlink dump exceeds 2048 bytes"), e.getMessage());
    }

    /** A dump of 20 peers with 2 allowed IPs each, in 1 KiB messages, read with these limits. */
    private static WireGuardException tooLarge(io.wgmon.wireguard.ReplyLimits limits) {
        List<byte[]> messages = new KernelDeviceEncoder(1024, false, false)
                .messages(new Device("wg0", null, 1, 0, peers(20)), SEQ);
        ReplyDriver<Device> dump = new ReplyDriver<>(new DeviceDump("wg0", FAMILY_ID, limits), SEQ);
        WireGuardException e = assertThrows(WireGuardException.class, () -> {
            for (byte[] message : messages) {
                dump.accept(datagram(message));
            }
        });
        assertEquals(Reason.TOO_LARGE, e.reason());
        return e;
    }

    /** An error ends the reply, with the exception the request makes of it. */
    private static WireGuardException refusal(String name, Errno errno) {
        ReplyDriver<Device> dump = new ReplyDriver<>(new DeviceDump(name, FAMILY_ID, ReplyLimits.forThisHeap()), SEQ);
        return assertThrows(WireGuardException.class, () -> dump.accept(datagram(errorMessage(SEQ, errno))));
    }

    private static List<Peer> peers(int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> new Peer(WireGuardGenlParserTest.peerKey(i), null,
                        List.of("10.9." + i + ".0/24", "10.8." + i + ".1/32"), null, i, i, 0, 1))
                .toList();
    }
}
