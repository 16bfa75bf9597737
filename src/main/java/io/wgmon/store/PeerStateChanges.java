package io.wgmon.store;

import java.util.List;

/**
 * The {@code peer_state} rows one scan (or the shutdown flush) changed: rows to write and peers to forget,
 * and the {@code session} rows that go with them.
 *
 * @param deletes each an interface name and a public key
 */
public record PeerStateChanges(List<PeerStateRow> upserts, List<PeerStateKey> deletes, SessionChanges sessions) {
    public static final PeerStateChanges NONE = new PeerStateChanges(List.of(), List.of(), SessionChanges.NONE);

    public PeerStateChanges {
        upserts = List.copyOf(upserts);
        deletes = List.copyOf(deletes);
    }

    public PeerStateChanges with(SessionChanges changes) {
        return new PeerStateChanges(upserts, deletes, changes);
    }

    public boolean isEmpty() {
        return upserts.isEmpty() && deletes.isEmpty() && sessions.isEmpty();
    }

    public int size() {
        return upserts.size() + deletes.size();
    }
}
