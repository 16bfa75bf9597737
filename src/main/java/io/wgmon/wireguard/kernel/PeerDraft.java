package io.wgmon.wireguard.kernel;

import io.wgmon.wireguard.Peer;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A peer of a kernel reply as far as the messages read so far describe it. */
final class PeerDraft implements PeersByKey.Keyed {
    private final String publicKey;
    private final long key0;
    private final long key1;
    private final long key2;
    private final long key3;
    /** Most peers have one to four; ArrayList's default of ten was 24 bytes a peer more. */
    final List<String> allowedIps = new ArrayList<>(4);
    InetSocketAddress endpoint;
    Instant lastHandshake;
    long rxBytes;
    long txBytes;
    int persistentKeepalive;
    int protocolVersion;

    PeerDraft(String publicKey, byte[] key) {
        this.publicKey = publicKey;
        key0 = PeersByKey.keyWord(key, 0);
        key1 = PeersByKey.keyWord(key, 1);
        key2 = PeersByKey.keyWord(key, 2);
        key3 = PeersByKey.keyWord(key, 3);
    }

    @Override
    public long keyWord(int index) {
        return switch (index) {
            case 0 -> key0;
            case 1 -> key1;
            case 2 -> key2;
            default -> key3;
        };
    }

    Peer build() {
        return new Peer(publicKey, endpoint, allowedIps, lastHandshake, rxBytes, txBytes, persistentKeepalive,
                protocolVersion);
    }
}
