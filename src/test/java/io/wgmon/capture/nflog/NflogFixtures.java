package io.wgmon.capture.nflog;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.wgmon.capture.IpPackets.hex;

/**
 * NFLOG packet message payloads laid out as the kernel writes them: nfgenmsg, then attributes
 * whose {len, type} headers are host order (little-endian here) and whose values are big-endian.
 */
final class NflogFixtures {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private NflogFixtures(int family, int group) {
        out.writeBytes(new byte[] {(byte) family, 0, (byte) (group >> 8), (byte) group});
    }

    static NflogFixtures ipv4Message() {
        return new NflogFixtures(2, 1).packetHeader(0x0800);
    }

    static NflogFixtures ipv6Message() {
        return new NflogFixtures(10, 1).packetHeader(0x86dd);
    }

    /** NFULA_PACKET_HDR: {be16 hw_protocol, u8 hook, u8 pad}. */
    NflogFixtures packetHeader(int hwProtocol) {
        return attribute(1, new byte[] {(byte) (hwProtocol >> 8), (byte) hwProtocol, 1, 0});
    }

    NflogFixtures inboundInterface(int index) {
        return attribute(4, ByteBuffer.allocate(4).putInt(index).array());
    }

    NflogFixtures timestamp(long seconds, long micros) {
        return attribute(3, ByteBuffer.allocate(16).putLong(seconds).putLong(micros).array());
    }

    NflogFixtures prefix(String text) {
        byte[] bytes = (text + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return attribute(10, bytes);
    }

    NflogFixtures payload(String ipPacketHex) {
        return attribute(9, hex(ipPacketHex));
    }

    NflogFixtures attribute(int type, byte[] value) {
        int length = 4 + value.length;
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) length).putShort((short) type).array());
        out.writeBytes(value);
        out.writeBytes(new byte[((length + 3) & ~3) - length]);
        return this;
    }

    NflogFixtures raw(String hex) {
        out.writeBytes(hex(hex));
        return this;
    }

    ByteBuffer build() {
        return ByteBuffer.wrap(out.toByteArray());
    }
}
