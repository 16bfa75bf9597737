package io.wgmon.store;

import java.util.List;

/**
 * The {@code peer_state} rows one scan (or the shutdown flush) changed: rows to write and peers to forget.
 *
 * @param deletes each an interface name and a public key
 */
public record PeerStateChanges(List<PeerStateRow> upserts, List<PeerStateKey> deletes) {
    public static final PeerStateChanges NONE = new PeerStateChanges(List.of(), List.of());

    public PeerStateChanges {
        upserts = List.copyOf(upserts);
        deletes = List.copyOf(deletes);
    }

    public boolean isEmpty() {
        return upserts.isEmpty() && deletes.isEmpty();
    }

    public int size() {
        return upserts.size() + deletes.size();
    }
}
