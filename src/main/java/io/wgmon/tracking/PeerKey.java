package io.wgmon.tracking;

import java.util.Objects;

/** A peer's identity: its interface and public key, never its endpoint. */
public record PeerKey(String interfaceName, String publicKey) {
    /*
     * equals and hashCode written out: a record's own go through method handles (ObjectMethods), which the
     * packaged app's C1 runs as calls, not inlined, and every scan looks up each listed peer by its key
     * (docs/benchmarks.md, "One dump's CPU in the packaged app").
     */
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof PeerKey key
                && Objects.equals(publicKey, key.publicKey) && Objects.equals(interfaceName, key.interfaceName);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(interfaceName) + Objects.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return interfaceName + ":" + publicKey;
    }
}
