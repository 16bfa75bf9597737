package io.wgmon.wireguard.uapi;

import java.util.Arrays;

/**
 * Parses IPv4 and IPv6 address literals from ASCII bytes, with the rules of inet_pton (no
 * leading zeros in IPv4 parts, at most one "::", an optional dotted IPv4 tail). Never resolves
 * names: {@code InetAddress.getByName} would turn a malformed literal into a DNS query.
 */
final class IpLiterals {
    /**
     * Hex digit values by byte, -1 for the rest: a table, because the three range tests it
     * replaces mispredict on random key digits (docs/benchmarks.md#profiles-behind-code-choices).
     */
    private static final byte[] HEX_VALUES = new byte[256];

    static {
        Arrays.fill(HEX_VALUES, (byte) -1);
        for (int i = 0; i < 10; i++) {
            HEX_VALUES['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            HEX_VALUES['a' + i] = (byte) (10 + i);
            HEX_VALUES['A' + i] = (byte) (10 + i);
        }
    }

    private IpLiterals() {
    }

    /** Parses {@code text[from, to)} as a dotted quad into {@code out[offset, offset + 4)}. */
    static boolean parseIpv4(byte[] text, int from, int to, byte[] out, int offset) {
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            byte c = text[i];
            if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return false;
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return false;
                }
            } else if (c == '.' && digits > 0 && part < 3) {
                out[offset + part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return false;
            }
        }
        if (digits == 0 || part != 3) {
            return false;
        }
        out[offset + 3] = (byte) value;
        return true;
    }

    /** Parses {@code text[from, to)} as an IPv6 address into {@code out[0, 16)}. */
    static boolean parseIpv6(byte[] text, int from, int to, byte[] out) {
        Arrays.fill(out, 0, 16, (byte) 0);
        int i = from;
        if (i < to && text[i] == ':' && (i + 1 >= to || text[++i] != ':')) {
            return false;
        }
        int filled = 0;
        int gap = -1;
        int tokenStart = i;
        int group = 0;
        int digits = 0;
        while (i < to) {
            byte c = text[i++];
            int nibble = hexValue(c);
            if (nibble >= 0) {
                if (++digits > 4) {
                    return false;
                }
                group = (group << 4) | nibble;
            } else if (c == ':') {
                tokenStart = i;
                if (digits == 0) {
                    if (gap >= 0) {
                        return false;
                    }
                    gap = filled;
                    continue;
                }
                if (i >= to || filled + 2 > 16) {
                    return false;
                }
                out[filled++] = (byte) (group >> 8);
                out[filled++] = (byte) group;
                group = 0;
                digits = 0;
            } else if (c == '.' && filled + 4 <= 16 && parseIpv4(text, tokenStart, to, out, filled)) {
                filled += 4;
                digits = 0;
                break;
            } else {
                return false;
            }
        }
        if (digits > 0) {
            if (filled + 2 > 16) {
                return false;
            }
            out[filled++] = (byte) (group >> 8);
            out[filled++] = (byte) group;
        }
        if (gap >= 0) {
            if (filled == 16) {
                return false;
            }
            int moved = filled - gap;
            for (int j = 1; j <= moved; j++) {
                out[16 - j] = out[gap + moved - j];
                out[gap + moved - j] = 0;
            }
            filled = 16;
        }
        return filled == 16;
    }

    /** The value of a hex digit, or -1. */
    static int hexValue(byte c) {
        return HEX_VALUES[c & 0xff];
    }
}
