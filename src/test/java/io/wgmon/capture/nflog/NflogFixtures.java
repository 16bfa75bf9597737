package io.wgmon.trigger;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * NFLOG packet message payloads laid out as the kernel writes them: nfgenmsg, then attributes
 * whose {len, type} headers are host order (little-endian here) and whose values are big-endian.
 */
final class NflogFixtures {
    /** IPv4 UDP 192.0.2.2:53772 -> 192.0.2.1:3000, first bytes of a handshake initiation. */
    static final String IPV4_INITIATION = "45 00 00 b0 12 34 40 00 40 11 00 00 c0 00 02 02 c0 00 02 01"
            + "d2 0c 0b b8 00 9c 00 00"
            + "01 00 00 00 5e 11 a2 b3";

    /** IPv6 UDP 2001:db8::2:51820 -> 2001:db8::1:3000, transport data. */
    static final String IPV6_TRANSPORT = "60 00 00 00 00 30 11 40"
            + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02"
            + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"
            + "ca 6c 0b b8 00 30 00 00"
            + "04 00 00 00 00 00 00 00";

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

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
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
