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
        return new AllowedIpFormatter().address(address.getAddress(), 16);
    }
}
