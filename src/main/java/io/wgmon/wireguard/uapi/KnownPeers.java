package io.wgmon.wireguard.uapi;

import io.wgmon.wireguard.Peer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One device's peers as its last read left them, with the bytes of the lines they were parsed from, so
 * the next read compares a peer's lines in place and hands back the same {@link Peer} when nothing
 * changed: no key string, address or list per unchanged peer (docs/architecture.md#wireguard). Used by
 * one read at a time.
 */
public final class KnownPeers {
    /**
     * A peer's raw public key; a probe instance is refilled in place for lookups. Keys come from the daemon,
     * so they may be chosen to collide: the hash covers every byte, and keys are comparable, which keeps
     * a bucket of colliding keys a balanced tree in {@link HashMap} (bounded work per lookup).
     */
    private static final class RawKey implements Comparable<RawKey> {
        final byte[] bytes = new byte[UapiValueDecoder.KEY_LENGTH];

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public int compareTo(RawKey other) {
            return Arrays.compareUnsigned(bytes, other.bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof RawKey key && Arrays.equals(bytes, key.bytes);
        }
    }

    /** What one peer's lines were when it was last read. */
    static final class Entry {
        Peer peer;
        byte[] endpointText;
        List<byte[]> allowedIpTexts = List.of();
        long readNumber;
    }

    private final Map<RawKey, Entry> entries = new HashMap<>();
    private final RawKey probe = new RawKey();
    private long readNumber;

    /** A new read begins. */
    void startRead() {
        readNumber++;
    }

    /** The entry of the key in {@code key} (32 bytes, not kept), or null; marks it seen by this read. */
    Entry find(byte[] key) {
        System.arraycopy(key, 0, probe.bytes, 0, probe.bytes.length);
        Entry entry = entries.get(probe);
        if (entry != null) {
            entry.readNumber = readNumber;
        }
        return entry;
    }

    /** Remembers a peer first seen by this read. */
    Entry add(byte[] key) {
        RawKey stored = new RawKey();
        System.arraycopy(key, 0, stored.bytes, 0, stored.bytes.length);
        Entry entry = new Entry();
        entry.readNumber = readNumber;
        entries.put(stored, entry);
        return entry;
    }

    /** The read completed: peers it did not list are gone. */
    void endRead() {
        entries.values().removeIf(entry -> entry.readNumber != readNumber);
    }

    /** Forgets every peer: the next read decodes them all again. */
    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    static byte[] copy(byte[] text, int from, int to) {
        return Arrays.copyOfRange(text, from, to);
    }

    static boolean sameText(byte[] known, byte[] text, int from, int to) {
        return known != null && Arrays.equals(known, 0, known.length, text, from, to);
    }
}
