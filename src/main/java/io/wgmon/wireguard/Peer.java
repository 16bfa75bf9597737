package io.wgmon.wireguard;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * A WireGuard peer as one scan saw it. There is deliberately no preshared key here: the parsers
 * drop it.
 *
 * @param publicKey     base64, 44 characters
 * @param endpoint      null when the peer has no endpoint yet
 * @param allowedIps    CIDR strings, e.g. "10.10.10.2/32", "fd00::2/128"
 * @param lastHandshake null when the peer never completed a handshake
 * @param persistentKeepalive seconds, 0 = off
 */
public record Peer(
        String publicKey,
        InetSocketAddress endpoint,
        List<String> allowedIps,
        Instant lastHandshake,
        long rxBytes,
        long txBytes,
        int persistentKeepalive,
        int protocolVersion) {

    public Peer {
        allowedIps = List.copyOf(allowedIps);
    }

    /** "192.0.2.2:33612" or "[2001:db8::2]:51820", null without endpoint. */
    public String endpointText() {
        return Endpoints.format(endpoint);
    }
}
