package io.wgmon.capture.nflog;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static io.wgmon.capture.IpPackets.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Bodies as libnetfilter_log sends them: nfgenmsg {AF_UNSPEC, 0, be16 group}, one attribute. */
class NflogConfigMessagesTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "attribute headers are little-endian");
    }

    @Test
    void bindAndUnbindCarryTheCommandByte() {
        assertArrayEquals(hex("00 00 01 02  05 00 01 00 01 00 00 00"), NflogConfigMessages.bind(0x0102));
        assertArrayEquals(hex("00 00 01 02  05 00 01 00 02 00 00 00"), NflogConfigMessages.unbind(0x0102));
    }

    @Test
    void copyModeIsBigEndianRangeThenModeThenPad() {
        assertArrayEquals(hex("00 00 00 2a  0a 00 02 00 00 00 01 00 02 00 00 00"),
                NflogConfigMessages.copyPacket(42, 256));
    }

    @Test
    void thresholdAndTimeoutAreBigEndian() {
        assertArrayEquals(hex("00 00 ff ff  08 00 05 00 00 00 00 01"), NflogConfigMessages.queueThreshold(65535, 1));
        assertArrayEquals(hex("00 00 00 01  08 00 04 00 00 00 00 00"), NflogConfigMessages.flushTimeout(1, 0));
    }
}
