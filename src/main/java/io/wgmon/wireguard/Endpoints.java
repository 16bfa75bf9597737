package io.wgmon.wireguard;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Text form of addresses and endpoints as WireGuard tools print them (RFC 5952 for IPv6). */
public final class Endpoints {
    private Endpoints() {
    }

    public static String format(InetSocketAddress endpoint) {
        if (endpoint == null) {
            return null;
        }
        String host = address(endpoint.getAddress());
        return endpoint.getAddress() instanceof Inet6Address
                ? "[" + host + "]:" + endpoint.getPort()
                : host + ":" + endpoint.getPort();
    }

    /** Dotted quad, or the shortest IPv6 form ("2001:db8::2"), without a scope suffix. */
    public static String address(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
