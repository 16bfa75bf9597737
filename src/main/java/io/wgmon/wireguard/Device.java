package io.wgmon.wireguard;

import java.util.List;

/**
 * A WireGuard interface as one scan saw it. No private key: the parsers drop it.
 *
 * @param publicKey base64, null when the device has no private key set
 */
public record Device(String name, String publicKey, int listenPort, int fwmark, List<Peer> peers) {
    public Device {
        peers = List.copyOf(peers);
    }
}
