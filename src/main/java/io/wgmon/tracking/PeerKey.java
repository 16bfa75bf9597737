package io.wgmon.tracking;

/** A peer's identity: its interface and public key, never its endpoint. */
public record PeerKey(String interfaceName, String publicKey) {
    @Override
    public String toString() {
        return interfaceName + ":" + publicKey;
    }
}
