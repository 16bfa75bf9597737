package io.wgmon.tracking;

/** Friendly names for peers; {@code null} when a peer has none. */
@FunctionalInterface
public interface PeerNames {
    String nameOf(PeerKey key);

    static PeerNames none() {
        return key -> null;
    }
}
