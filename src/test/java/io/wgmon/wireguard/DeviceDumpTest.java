package io.wgmon.wireguard;

import io.wgmon.netlink.Errno;
import io.wgmon.netlink.Netlink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import static io.wgmon.wireguard.KernelDeviceEncoder.FAMILY_ID;
import static io.wgmon.wireguard.KernelFixtures.datagram;
import static io.wgmon.wireguard.KernelFixtures.errorMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
        byte[] request = new DeviceDump("wg0", FAMILY_ID, SEQ).request();

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
        DeviceDump dump = new DeviceDump("wg0", FAMILY_ID, SEQ);

        // an answer left over from an earlier request shares the first datagram and is ignored
        assertFalse(dump.accept(datagram(errorMessage(SEQ - 1, Errno.ENODEV), messages.get(0))));
        for (int i = 1; i < messages.size(); i++) {
            assertFalse(dump.accept(datagram(messages.get(i))));
        }
        assertTrue(dump.accept(datagram(KernelDeviceEncoder.done(SEQ))));

        assertEquals(expected, dump.device());
    }

    @Test
    void enodevMeansNoSuchInterface() {
        WireGuardException e = refusal("wg7", Errno.ENODEV);

        assertInstanceOf(DeviceNotFoundException.class, e);
        assertEquals("wg7: no such WireGuard interface", e.getMessage());
    }

    @Test
    void eopnotsuppMeansTheInterfaceIsNotWireGuard() {
        WireGuardException e = refusal("lo", Errno.EOPNOTSUPP);

        assertInstanceOf(DeviceNotFoundException.class, e);
        assertEquals("lo: not a WireGuard interface", e.getMessage());
    }

    @Test
    void epermNamesTheMissingCapability() {
        WireGuardException e = refusal("wg0", Errno.EPERM);

        assertFalse(e instanceof DeviceNotFoundException);
        assertEquals("wg0: reading a WireGuard device needs CAP_NET_ADMIN (the kernel answered EPERM)", e.getMessage());
    }

    @Test
    void enoentMeansTheFamilyIdIsNoLongerKnown() {
        WireGuardException e = refusal("wg0", Errno.ENOENT);

        assertInstanceOf(ModuleNotLoadedException.class, e);
        assertEquals("the wireguard kernel module is not loaded (generic netlink family id 28 is unknown to the kernel)",
                e.getMessage());
    }

    @Test
    void otherErrnosAreNamed() {
        WireGuardException e = refusal("wg0", Errno.ENOMEM);

        assertEquals("wg0: reading the WireGuard device failed: the kernel answered ENOMEM (Cannot allocate memory)",
                e.getMessage());
    }

    @Test
    void aDoneCarryingAnErrorFailsTheRead() throws Exception {
        byte[] done = KernelDeviceEncoder.done(SEQ);
        ByteBuffer.wrap(done).order(ByteOrder.nativeOrder()).putInt(16, -Errno.EMSGSIZE);
        DeviceDump dump = new DeviceDump("wg0", FAMILY_ID, SEQ);

        assertTrue(dump.accept(datagram(
                new KernelDeviceEncoder(32 * 1024, false, false).messages(KernelFixtures.onePeerDevice(), SEQ).get(0),
                done)));

        WireGuardException e = assertThrows(WireGuardException.class, dump::device);
        assertEquals("wg0: reading the WireGuard device failed: the kernel answered EMSGSIZE (Message too long)",
                e.getMessage());
    }

    @Test
    void anInconsistentDumpAsksForAnotherTry() throws Exception {
        List<byte[]> messages = new KernelDeviceEncoder(1024, false, false)
                .messages(new Device("wg0", null, 1, 0, peers(20)), SEQ);
        DeviceDump dump = new DeviceDump("wg0", FAMILY_ID, SEQ);
        for (int i = 0; i < messages.size(); i++) {
            byte[] message = i == 1 ? KernelFixtures.withFlags(messages.get(i), Netlink.NLM_F_DUMP_INTR) : messages.get(i);
            dump.accept(datagram(message));
        }
        assertTrue(dump.accept(datagram(KernelDeviceEncoder.done(SEQ))));

        WireGuardException e = assertThrows(DumpInterruptedException.class, dump::device);
        assertEquals("wg0: the device changed while it was being read", e.getMessage());
    }

    @Test
    void aMessageOfAnotherFamilyIsMalformed() {
        byte[] message = KernelFixtures.onePeerMessage(SEQ);
        ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).putShort(4, (short) 0x10);
        DeviceDump dump = new DeviceDump("wg0", FAMILY_ID, SEQ);

        WireGuardException e = assertThrows(WireGuardException.class, () -> dump.accept(datagram(message)));

        assertEquals("wg0: malformed WireGuard netlink reply: message type 16 in the reply to family 28", e.getMessage());
    }

    private static WireGuardException refusal(String name, int errno) {
        DeviceDump dump = new DeviceDump(name, FAMILY_ID, SEQ);
        try {
            assertTrue(dump.accept(datagram(errorMessage(SEQ, errno))), "an error ends the reply");
        } catch (WireGuardException e) {
            throw new AssertionError(e);
        }
        return assertThrows(WireGuardException.class, dump::device);
    }

    private static List<Peer> peers(int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> new Peer(WireGuardGenlParserTest.peerKey(i), null,
                        List.of("10.9." + i + ".0/24", "10.8." + i + ".1/32"), null, i, i, 0, 1))
                .toList();
    }
}
