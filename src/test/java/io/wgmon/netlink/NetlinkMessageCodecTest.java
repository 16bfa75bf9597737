package io.wgmon.netlink;

import jnr.constants.platform.Errno;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.List;

import static io.wgmon.netlink.Hex.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Fixtures are little-endian, as the kernel writes them on x86-64 and arm64. */
class NetlinkMessageCodecTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "fixtures are little-endian");
    }

    @Test
    void encodesTheSixteenByteHeaderBeforeTheBody() {
        byte[] message = NetlinkMessageCodec.encode(0x0401, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, 7, 0,
                bytes("00 00 00 01  05 00 01 00 01 00 00 00"));
        assertArrayEquals(bytes("1c 00 00 00  01 04  05 00  07 00 00 00  00 00 00 00"
                + "00 00 00 01  05 00 01 00 01 00 00 00"), message);
    }

    @Test
    void padsAnUnalignedBodyButKeepsTheTrueLength() {
        byte[] message = NetlinkMessageCodec.encode(16, 1, 1, 0, bytes("aa bb"));
        assertEquals(20, message.length);
        assertEquals(18, message[0]);
    }

    @Test
    void decodesHeaderFieldsAndPayload() {
        byte[] buffer = bytes("18 00 00 00  00 04  00 00  2a 00 00 00  39 30 00 00  02 00 00 01  de ad be ef");
        List<NetlinkMessage> messages = NetlinkMessageCodec.decode(buffer, buffer.length);
        assertEquals(1, messages.size());
        NetlinkMessage message = messages.get(0);
        assertEquals(0x0400, message.type());
        assertEquals(0, message.flags());
        assertEquals(42, message.sequence());
        assertEquals(12345, message.portId());
        assertEquals(8, message.payloadLength());
        assertEquals(0xdeadbeef, message.payload().order(ByteOrder.BIG_ENDIAN).getInt(4));
        assertFalse(message.isError());
    }

    @Test
    void decodesAMultipartDumpEndedByDone() {
        byte[] buffer = bytes(
                "14 00 00 00  10 00  02 00  05 00 00 00  00 00 00 00  01 02 03 00"
                        + "16 00 00 00  10 00  02 00  05 00 00 00  00 00 00 00  04 05 06 07 08 09  00 00"
                        + "14 00 00 00  03 00  02 00  05 00 00 00  00 00 00 00  00 00 00 00");
        List<NetlinkMessage> messages = NetlinkMessageCodec.decode(buffer, buffer.length);
        assertEquals(3, messages.size());
        assertTrue(messages.get(0).isMultipart());
        assertEquals(4, messages.get(0).payloadLength());
        assertEquals(6, messages.get(1).payloadLength());
        assertEquals(9, messages.get(1).payload().get(5));
        assertTrue(messages.get(2).isDone());
        assertEquals(0, messages.get(2).errno());
    }

    @Test
    void decodesAnErrorWithItsPositiveErrno() {
        // error -16 (EBUSY) followed by the header of the request it answers
        byte[] buffer = bytes("24 00 00 00  02 00  00 01  07 00 00 00  00 00 00 00  f0 ff ff ff"
                + "1c 00 00 00  01 04  05 00  07 00 00 00  00 00 00 00");
        NetlinkMessage error = NetlinkMessageCodec.decode(buffer, buffer.length).get(0);
        assertTrue(error.isError());
        assertFalse(error.isAck());
        assertEquals(Errno.EBUSY.intValue(), error.errno());
        assertEquals(7, error.sequence());
    }

    @Test
    void anErrorWithCodeZeroIsAnAck() {
        byte[] buffer = bytes("24 00 00 00  02 00  00 01  07 00 00 00  00 00 00 00  00 00 00 00"
                + "1c 00 00 00  01 04  05 00  07 00 00 00  00 00 00 00");
        NetlinkMessage ack = NetlinkMessageCodec.decode(buffer, buffer.length).get(0);
        assertTrue(ack.isAck());
        assertEquals(0, ack.errno());
    }

    @Test
    void aDoneCarryingANegativeCodeReportsIt() {
        byte[] buffer = bytes("14 00 00 00  03 00  02 00  05 00 00 00  00 00 00 00  ea ff ff ff");
        assertEquals(Errno.EINVAL.intValue(), NetlinkMessageCodec.decode(buffer, buffer.length).get(0).errno());
    }

    /**
     * Found by NetlinkMessageCodecFuzzIT: a DONE carrying code 0x80000000 (Integer.MIN_VALUE)
     * made errno() negative, since -MIN_VALUE overflows; the kernel's errnos end at 4095.
     */
    @Test
    void rejectsADoneOrErrorCodeThatIsNoErrno() {
        byte[] done = bytes("14 00 00 00  03 00  02 00  05 00 00 00  00 00 00 00  00 00 00 80");
        NetlinkException e = assertThrows(NetlinkException.class, () -> NetlinkMessageCodec.decode(done, done.length));
        assertEquals(NetlinkException.Reason.MALFORMED, e.reason());
        assertEquals("netlink message at offset 0 carries code -2147483648, not a negated errno", e.getMessage());
        byte[] error = bytes("14 00 00 00  02 00  00 00  05 00 00 00  00 00 00 00  00 f0 ff ff");
        assertThrows(NetlinkException.class, () -> NetlinkMessageCodec.decode(error, error.length));
        byte[] largestErrno = bytes("14 00 00 00  02 00  00 00  05 00 00 00  00 00 00 00  01 f0 ff ff");
        assertEquals(4095, NetlinkMessageCodec.decode(largestErrno, largestErrno.length).get(0).errno());
    }

    @Test
    void skipsNoopMessages() {
        byte[] buffer = bytes("10 00 00 00  01 00  00 00  01 00 00 00  00 00 00 00"
                + "14 00 00 00  00 04  00 00  02 00 00 00  00 00 00 00  02 00 00 01");
        List<NetlinkMessage> messages = NetlinkMessageCodec.decode(buffer, buffer.length);
        assertEquals(1, messages.size());
        assertEquals(2, messages.get(0).sequence());
    }

    @Test
    void zeroLengthBufferHasNoMessages() {
        assertTrue(NetlinkMessageCodec.decode(new byte[0], 0).isEmpty());
        assertTrue(NetlinkMessageCodec.decode(new byte[64], 0).isEmpty());
    }

    @Test
    void rejectsAMessageLongerThanTheBuffer() {
        byte[] buffer = bytes("20 00 00 00  00 04  00 00  01 00 00 00  00 00 00 00  02 00 00 01");
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> NetlinkMessageCodec.decode(buffer, buffer.length));
        assertEquals("netlink message at offset 0 claims 32 bytes, 20 available", e.getMessage());
    }

    @Test
    void rejectsALengthBelowTheHeader() {
        byte[] buffer = bytes("0c 00 00 00  00 04  00 00  01 00 00 00  00 00 00 00");
        assertThrows(NetlinkException.class, () -> NetlinkMessageCodec.decode(buffer, buffer.length));
    }

    @Test
    void rejectsATruncatedHeaderAfterAGoodMessage() {
        byte[] buffer = bytes("14 00 00 00  00 04  00 00  01 00 00 00  00 00 00 00  02 00 00 01  14 00 00 00 00 04");
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> NetlinkMessageCodec.decode(buffer, buffer.length));
        assertEquals("truncated netlink header: 6 bytes left at offset 20", e.getMessage());
    }

    @Test
    void rejectsAnErrorMessageWithoutErrorCode() {
        byte[] buffer = bytes("12 00 00 00  02 00  00 00  01 00 00 00  00 00 00 00  f0 ff 00 00");
        assertThrows(NetlinkException.class, () -> NetlinkMessageCodec.decode(buffer, buffer.length));
    }

    @Test
    void onlyTheGivenLengthIsRead() {
        byte[] buffer = bytes("14 00 00 00  00 04  00 00  01 00 00 00  00 00 00 00  02 00 00 01  ff ff ff ff");
        assertEquals(1, NetlinkMessageCodec.decode(buffer, 20).size());
    }

    @Test
    void copyDetachesThePayloadFromTheBuffer() {
        byte[] buffer = bytes("14 00 00 00  00 04  00 00  01 00 00 00  00 00 00 00  02 00 00 01");
        NetlinkMessage copy = NetlinkMessageCodec.decode(buffer, buffer.length).get(0).copy();
        buffer[16] = 99;
        assertEquals(2, copy.payload().get(0));
    }
}
