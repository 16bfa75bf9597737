package io.wgmon.wireguard.uapi;

import io.wgmon.wireguard.AllowedIpFormatter;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Decodes single UAPI values straight from the reply bytes. Each method returns a sentinel
 * (-1 or null) for a malformed value and leaves the error message to the caller, which knows
 * the line. Scratch buffers are reused, so one decoder serves one parser on one thread.
 */
final class UapiValueDecoder {
    static final int KEY_LENGTH = 32;
    private static final int KEY_HEX_LENGTH = 2 * KEY_LENGTH;

    private final byte[] key = new byte[KEY_LENGTH];
    private final byte[] keyBase64 = new byte[44];
    private final byte[] address = new byte[16];
    /** InetAddress.getByAddress copies its argument, and takes a 4-byte one for IPv4. */
    private final byte[] ipv4Address = new byte[4];
    private final AllowedIpFormatter allowedIpText = new AllowedIpFormatter();

    /** An unsigned decimal up to {@code max}, or -1. */
    static long decimal(byte[] text, int from, int to, long max) {
        if (from == to || to - from > 19) {
            return -1;
        }
        long value = 0;
        int i = from;
        for (; i <= to - Swar.WIDTH; i += Swar.WIDTH) {
            long word = Swar.word(text, i);
            if (!Swar.isEightDigits(word)) {
                return -1;
            }
            value = value * 100_000_000 + Swar.eightDigits(word);
        }
        for (; i < to; i++) {
            byte c = text[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        // 19 digits stay below 2^64, so one that passes Long.MAX_VALUE wraps to a negative value
        return value <= max && value >= 0 ? value : -1;
    }

    /** 64 hex digits as the 44-character base64 form WireGuard tools print, or null. */
    String base64Key(byte[] text, int from, int to) {
        if (!hexKey(text, from, to, key)) {
            return null;
        }
        Base64.getEncoder().encode(key, keyBase64);
        return new String(keyBase64, StandardCharsets.ISO_8859_1);
    }

    /** Decodes 64 hex digits into {@code out}, 32 bytes; false when they are not exactly that. */
    static boolean hexKey(byte[] text, int from, int to, byte[] out) {
        if (to - from != KEY_HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < KEY_LENGTH; i++) {
            int high = IpLiterals.hexValue(text[from + 2 * i]);
            int low = IpLiterals.hexValue(text[from + 2 * i + 1]);
            if ((high | low) < 0) {
                return false;
            }
            out[i] = (byte) ((high << 4) | low);
        }
        return true;
    }

    /** "192.0.2.2:51820" or "[2001:db8::2]:51820" (a "%zone" is accepted and dropped), or null. */
    InetSocketAddress endpoint(byte[] text, int from, int to) {
        int colon = lastIndexOf(text, from, to, (byte) ':');
        if (colon < 0) {
            return null;
        }
        long port = decimal(text, colon + 1, to, 0xFFFF);
        if (port < 0) {
            return null;
        }
        InetAddress host;
        if (text[from] == '[') {
            if (colon - 1 <= from || text[colon - 1] != ']') {
                return null;
            }
            int zone = indexOf(text, from + 1, colon - 1, (byte) '%');
            int hostEnd = zone < 0 ? colon - 1 : zone;
            if (zone == colon - 2 || !IpLiterals.parseIpv6(text, from + 1, hostEnd, address)) {
                return null;
            }
            host = ipv6(address);
        } else {
            if (!IpLiterals.parseIpv4(text, from, colon, ipv4Address, 0)) {
                return null;
            }
            host = ipv4(ipv4Address);
        }
        return new InetSocketAddress(host, (int) port);
    }

    /** "10.0.0.0/8" or "fd00::/64" in the form {@code wg show} prints, or null. */
    String allowedIp(byte[] text, int from, int to) {
        int slash = indexOf(text, from, to, (byte) '/');
        if (slash < 0) {
            return null;
        }
        if (IpLiterals.parseIpv4(text, from, slash, address, 0)) {
            long prefix = decimal(text, slash + 1, to, 32);
            return prefix < 0 ? null : allowedIpText.format(address, 4, (int) prefix);
        }
        if (IpLiterals.parseIpv6(text, from, slash, address)) {
            long prefix = decimal(text, slash + 1, to, 128);
            return prefix < 0 ? null : allowedIpText.format(address, 16, (int) prefix);
        }
        return null;
    }

    /** @param bytes 4; copied */
    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are an IPv4 address", e);
        }
    }

    /** Stays an Inet6Address even for "::ffff:a.b.c.d", unlike InetAddress.getByAddress. */
    private static InetAddress ipv6(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }

    private static int indexOf(byte[] text, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (text[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] text, int from, int to, byte wanted) {
        for (int i = to - 1; i >= from; i--) {
            if (text[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
