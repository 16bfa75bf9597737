package io.wgmon.wireguard;

import java.nio.charset.StandardCharsets;

/**
 * Writes an allowed IP ("10.0.0.0/8", "fd00::/64") from its address bytes and prefix length in the form
 * {@code wg show} prints (RFC 5952 for IPv6, as {@link Endpoints#address}), as one String and nothing
 * else: both parsers build one per allowed IP per scan, so no InetAddress, StringBuilder or
 * concatenation in between (docs/architecture.md#wireguard). The scratch buffer makes an instance one
 * parser's, on one thread.
 */
public final class AllowedIpFormatter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128" is 43 bytes. */
    private final byte[] text = new byte[43];

    /** The address alone, "192.0.2.2" or "2001:db8::2"; {@code length} 4 or 16 bytes of it are read. */
    public String address(byte[] address, int length) {
        return new String(text, 0, length == 4 ? ipv4(address) : ipv6(address), StandardCharsets.ISO_8859_1);
    }

    /** @param length 4 or 16 bytes of {@code address} are read */
    public String format(byte[] address, int length, int prefix) {
        int end = length == 4 ? ipv4(address) : ipv6(address);
        text[end++] = '/';
        end = decimal(prefix, end);
        return new String(text, 0, end, StandardCharsets.ISO_8859_1);
    }

    private int ipv4(byte[] address) {
        int end = 0;
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                text[end++] = '.';
            }
            end = decimal(address[i] & 0xff, end);
        }
        return end;
    }

    private int ipv6(byte[] address) {
        // the longest run of two or more zero groups (the first of equal ones) becomes "::"
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (group(address, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(address, j) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        int end = 0;
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text[end++] = ':';
                text[end++] = ':';
                i += bestLength - 1;
                continue;
            }
            if (end > 0 && text[end - 1] != ':') {
                text[end++] = ':';
            }
            end = hex(group(address, i), end);
        }
        return end;
    }

    private static int group(byte[] address, int index) {
        return ((address[2 * index] & 0xff) << 8) | (address[2 * index + 1] & 0xff);
    }

    private int hex(int value, int end) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int nibble = (value >> shift) & 0xf;
            if (nibble != 0 || started || shift == 0) {
                text[end++] = HEX[nibble];
                started = true;
            }
        }
        return end;
    }

    private int decimal(int value, int end) {
        if (value >= 100) {
            text[end++] = (byte) ('0' + value / 100);
        }
        if (value >= 10) {
            text[end++] = (byte) ('0' + value / 10 % 10);
        }
        text[end++] = (byte) ('0' + value % 10);
        return end;
    }
}
