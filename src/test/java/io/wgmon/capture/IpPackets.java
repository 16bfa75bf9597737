package io.wgmon.capture;

import java.util.HexFormat;

/** IP packets for parser and reader tests of both sources, as hex. */
public final class IpPackets {
    /** IPv4 UDP 192.0.2.2:53772 -> 192.0.2.1:3000, first bytes of a handshake initiation. */
    public static final String IPV4_INITIATION = "45 00 00 b0 12 34 40 00 40 11 00 00 c0 00 02 02 c0 00 02 01"
            + "d2 0c 0b b8 00 9c 00 00"
            + "01 00 00 00 5e 11 a2 b3";

    /** IPv6 UDP 2001:db8::2:51820 -> 2001:db8::1:3000, transport data. */
    public static final String IPV6_TRANSPORT = "60 00 00 00 00 30 11 40"
            + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02"
            + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"
            + "ca 6c 0b b8 00 30 00 00"
            + "04 00 00 00 00 00 00 00";

    /** IPv4 TCP 192.0.2.2 -> 192.0.2.1: not UDP, so every source skips it. */
    public static final String IPV4_TCP = "45 00 00 28 12 34 40 00 40 06 00 00 c0 00 02 02 c0 00 02 01";

    private IpPackets() {
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }
}
