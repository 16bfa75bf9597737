package io.wgmon.wireguard.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One dump's peers in the order they were added, found by their raw 32-byte public key: an
 * open-addressing table of their numbers, the key words held by each peer. A HashMap by the
 * base64 key showed in the genl parse's profile (the 44-character hash, its nodes and resizes;
 * docs/benchmarks.md#profiles-behind-code-choices). Real keys are Curve25519 points, already spread; the words are mixed
 * anyway, for keys that are not. One instance is one parser's.
 */
final class PeersByKey<T extends PeersByKey.Keyed> {
    static final int KEY_WORDS = WireGuardGenl.KEY_LENGTH / Long.BYTES;
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A peer that knows its key as {@value #KEY_WORDS} words ({@link #keyWord}). */
    interface Keyed {
        long keyWord(int index);
    }

    private final List<T> peers = new ArrayList<>();
    /** Number + 1 of the peer whose key hashes there, 0 for none; at most half full. */
    private int[] slots = new int[32];

    /** Word {@code index} (0 to 3) of a 32-byte key, the way {@link Keyed#keyWord} gives it. */
    static long keyWord(byte[] key, int index) {
        return (long) WORDS.get(key, index * Long.BYTES);
    }

    /** The peer added with {@code key} (its first 32 bytes), or null. */
    T find(byte[] key) {
        long w0 = keyWord(key, 0);
        long w1 = keyWord(key, 1);
        long w2 = keyWord(key, 2);
        long w3 = keyWord(key, 3);
        int mask = slots.length - 1;
        for (int slot = slot(w0, w1, w2, w3, mask); slots[slot] != 0; slot = (slot + 1) & mask) {
            T peer = peers.get(slots[slot] - 1);
            if (peer.keyWord(0) == w0 && peer.keyWord(1) == w1 && peer.keyWord(2) == w2 && peer.keyWord(3) == w3) {
                return peer;
            }
        }
        return null;
    }

    /** Adds {@code peer}, whose key no peer added before has. */
    void add(T peer) {
        peers.add(peer);
        if (2 * peers.size() > slots.length) {
            slots = new int[slots.length * 2];
            for (int number = 0; number < peers.size(); number++) {
                place(number);
            }
        } else {
            place(peers.size() - 1);
        }
    }

    int size() {
        return peers.size();
    }

    /** The peers in the order they were added (a view). */
    List<T> inOrder() {
        return peers;
    }

    private void place(int number) {
        T peer = peers.get(number);
        int mask = slots.length - 1;
        int slot = slot(peer.keyWord(0), peer.keyWord(1), peer.keyWord(2), peer.keyWord(3), mask);
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = number + 1;
    }

    private static int slot(long w0, long w1, long w2, long w3, int mask) {
        long mixed = (w0 ^ Long.rotateLeft(w1, 17) ^ Long.rotateLeft(w2, 31) ^ Long.rotateLeft(w3, 47))
                * 0x9E37_79B9_7F4A_7C15L;
        return (int) (mixed >>> 32) & mask;
    }
}
