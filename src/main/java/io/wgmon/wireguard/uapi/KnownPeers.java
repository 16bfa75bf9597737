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
 *
 * <p>After a read of a whole reply ({@link UapiReplyParser#read}) it also keeps that reply's bytes, its secret
 * values overwritten, and where each peer's block of lines lies in them: the next whole read takes a peer
 * whose block is byte for byte the same without reading its lines. At most two replies' bytes are held per
 * device (the last one and a spare buffer for the next read); a failed read drops both.
 */
public final class KnownPeers {
    /** A spare buffer up to twice this is kept however small the replies, as the client's first buffer is. */
    private static final int MIN_SPARE_BYTES = 64 * 1024;
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
        /** The read whose bytes hold this peer's block ({@link #blockOffset}), or -1. */
        long blockRead = -1;
        int blockOffset;
        int blockLength;
        int blockLines;
        int blockAllowedIps;
        /** The preshared key's value within the block, relative to its start; -1 when the block has none. */
        int presharedFrom = -1;
        int presharedTo;
        /** Where the block came among the blocks {@link #blockRead} kept. */
        int blockOrdinal;
    }

    private final Map<RawKey, Entry> entries = new HashMap<>();
    private final RawKey probe = new RawKey();
    private long readNumber;
    /** The bytes of the last read when it was a whole one that succeeded, its secret values overwritten; or null. */
    private byte[] lastReply;
    private long lastReplyRead = -1;
    private byte[] spare;
    /** The entries whose blocks the last whole read kept, in the order it listed them; and this read's. */
    private Entry[] lastOrder = new Entry[0];
    private int lastOrderCount;
    private Entry[] order = new Entry[0];
    private int orderCount;
    private int seen;

    /** A new read begins. */
    void startRead() {
        readNumber++;
        orderCount = 0;
        seen = 0;
    }

    /** The entry of the key in {@code key} (32 bytes, not kept), or null; {@link #see} marks it seen by this read. */
    Entry find(byte[] key) {
        System.arraycopy(key, 0, probe.bytes, 0, probe.bytes.length);
        return entries.get(probe);
    }

    /**
     * Marks the entry seen by this read.
     *
     * @return false when this read had already seen it (the reply lists the key twice)
     */
    boolean see(Entry entry) {
        if (entry.readNumber == readNumber) {
            return false;
        }
        entry.readNumber = readNumber;
        seen++;
        return true;
    }

    /**
     * The entry whose block followed {@code entry}'s among those the last whole read kept, or null: the peer a
     * reply listing them in the same order has next, checked byte for byte before it is taken. Call before
     * this read notes the entry's own block.
     */
    Entry nextInLastRead(Entry entry) {
        if (lastReply == null || entry.blockRead != lastReplyRead || entry.blockOrdinal + 1 >= lastOrderCount) {
            return null;
        }
        return lastOrder[entry.blockOrdinal + 1];
    }

    /** Whether this read has seen the entry. */
    boolean seenByThisRead(Entry entry) {
        return entry.readNumber == readNumber;
    }

    /** The last read's bytes when they hold the entry's block, else null. */
    byte[] lastReplyWithBlockOf(Entry entry) {
        return lastReply != null && entry.blockRead == lastReplyRead && entry.blockRead == readNumber - 1
                ? lastReply : null;
    }

    /** Notes where this read's bytes hold the entry's block. */
    void blockAt(Entry entry, int offset) {
        entry.blockRead = readNumber;
        entry.blockOffset = offset;
        if (orderCount == order.length) {
            order = Arrays.copyOf(order, Math.max(16, 2 * orderCount));
        }
        entry.blockOrdinal = orderCount;
        order[orderCount++] = entry;
    }

    /**
     * A buffer for the next whole read to receive into, of at least {@code minimum} bytes: the spare one when
     * it is large enough. The caller owns it until it hands it back through {@link #endRead(byte[], int)}.
     */
    byte[] takeBuffer(int minimum) {
        byte[] buffer = spare != null && spare.length >= minimum ? spare : new byte[minimum];
        spare = null;
        return buffer;
    }

    /** A size for the next read's buffer: that of the last whole read's (0 when there was none). */
    int expectedReplyBytes() {
        return lastReply == null ? 0 : lastReply.length;
    }

    /** Remembers a peer first seen by this read. */
    Entry add(byte[] key) {
        RawKey stored = new RawKey();
        System.arraycopy(key, 0, stored.bytes, 0, stored.bytes.length);
        Entry entry = new Entry();
        entry.readNumber = readNumber;
        seen++;
        entries.put(stored, entry);
        return entry;
    }

    /** The read completed: peers it did not list are gone. */
    void endRead() {
        forgetUnseen();
        lastReply = null;
        Arrays.fill(lastOrder, 0, lastOrderCount, null);
        lastOrderCount = 0;
    }

    private void forgetUnseen() {
        if (seen != entries.size()) {
            entries.values().removeIf(entry -> entry.readNumber != readNumber);
        }
    }

    /**
     * A whole read completed: peers it did not list are gone, and its bytes ({@code reply}, whose secret
     * values the parser overwrote; {@code length} of them the reply's) are the ones the next read compares
     * with. The bytes kept before become the spare buffer unless they are far larger than this reply.
     */
    void endRead(byte[] reply, int length) {
        forgetUnseen();
        byte[] before = lastReply;
        lastReply = reply;
        lastReplyRead = readNumber;
        Entry[] kept = lastOrder;
        lastOrder = order;
        lastOrderCount = orderCount;
        Arrays.fill(kept, null);
        order = kept;
        spare = before != null && before != reply && before.length <= 2L * Math.max(length, MIN_SPARE_BYTES) ? before : null;
    }

    /** Forgets every peer and every byte kept: the next read decodes them all again. */
    void clear() {
        entries.clear();
        lastReply = null;
        spare = null;
        lastOrder = new Entry[0];
        lastOrderCount = 0;
        order = new Entry[0];
        orderCount = 0;
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
