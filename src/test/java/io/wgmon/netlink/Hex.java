package io.wgmon.netlink;

import java.util.HexFormat;

/** Byte fixtures written as hex with spaces, e.g. "14 00 01 00". */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }
}
