package io.wgmon.netlink;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any datagram: messages that lie inside it, or {@link NetlinkException} MALFORMED, nothing else
 * (docs/architecture.md#fuzzing).
 */
class NetlinkMessageCodecFuzzIT {

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] datagram) {
        List<NetlinkMessage> messages;
        try {
            messages = NetlinkMessageCodec.decode(datagram, datagram.length);
        } catch (NetlinkException e) {
            assertEquals(NetlinkException.Reason.MALFORMED, e.reason());
            return;
        }
        int total = 0;
        for (NetlinkMessage message : messages) {
            assertNotEquals(Netlink.NLMSG_NOOP, message.type());
            assertTrue(message.errno() >= 0);
            message.copy();
            total += Netlink.HEADER_LENGTH + message.payloadLength();
        }
        assertTrue(total <= datagram.length);
    }
}
