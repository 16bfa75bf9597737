package io.wgmon.handshake;

import java.util.Arrays;

/**
 * BLAKE2s (RFC 7693), plain or keyed, digests of 1 to 32 bytes: what WireGuard's MAC1 is made of
 * (docs/architecture.md#failed-handshakes). One instance hashes one message at a time and reuses its
 * state arrays, so checking an initiation allocates nothing; not thread-safe.
 */
public final class Blake2s {
    public static final int BLOCK_BYTES = 64;
    public static final int MAX_DIGEST_BYTES = 32;
    public static final int MAX_KEY_BYTES = 32;

    private static final int[] IV = {
            0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};

    private static final byte[][] SIGMA = {
            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
            {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
            {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
            {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
            {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
            {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
            {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
            {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
            {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
            {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}};

    private final int[] h = new int[8];
    private final int[] v = new int[16];
    private final int[] m = new int[16];
    private final byte[] buffer = new byte[BLOCK_BYTES];
    private int buffered;
    private long counter;
    private int digestLength;

    /**
     * Starts a new message.
     *
     * @param digestLength 1..32 bytes
     * @param key          null or empty for plain hashing, else at most 32 bytes (read now, not kept)
     */
    public Blake2s start(int digestLength, byte[] key) {
        int keyLength = key == null ? 0 : key.length;
        if (digestLength < 1 || digestLength > MAX_DIGEST_BYTES) {
            throw new IllegalArgumentException("BLAKE2s digest length " + digestLength + ", must be 1..32");
        }
        if (keyLength > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("BLAKE2s key of " + keyLength + " bytes, at most 32");
        }
        System.arraycopy(IV, 0, h, 0, 8);
        h[0] ^= 0x01010000 ^ (keyLength << 8) ^ digestLength;
        this.digestLength = digestLength;
        counter = 0;
        buffered = 0;
        if (keyLength > 0) {
            System.arraycopy(key, 0, buffer, 0, keyLength);
            Arrays.fill(buffer, keyLength, BLOCK_BYTES, (byte) 0);
            buffered = BLOCK_BYTES;
        }
        return this;
    }

    public Blake2s update(byte[] data, int offset, int length) {
        int end = offset + length;
        while (offset < end) {
            if (buffered == BLOCK_BYTES) {
                // a full buffer is compressed only once more data follows: the last block is compressed as final
                counter += BLOCK_BYTES;
                compress(buffer, 0, false);
                buffered = 0;
            }
            int take = Math.min(BLOCK_BYTES - buffered, end - offset);
            System.arraycopy(data, offset, buffer, buffered, take);
            buffered += take;
            offset += take;
        }
        return this;
    }

    public Blake2s update(byte[] data) {
        return update(data, 0, data.length);
    }

    /** Writes the digest (the length given to {@link #start}) to {@code out} at {@code offset}; clears the key. */
    public void finish(byte[] out, int offset) {
        counter += buffered;
        Arrays.fill(buffer, buffered, BLOCK_BYTES, (byte) 0);
        compress(buffer, 0, true);
        for (int i = 0; i < digestLength; i++) {
            out[offset + i] = (byte) (h[i >>> 2] >>> (8 * (i & 3)));
        }
        Arrays.fill(buffer, (byte) 0);
        buffered = 0;
    }

    /** The digest as a new array. */
    public byte[] finish() {
        byte[] out = new byte[digestLength];
        finish(out, 0);
        return out;
    }

    private void compress(byte[] block, int offset, boolean last) {
        for (int i = 0; i < 16; i++) {
            int p = offset + 4 * i;
            m[i] = (block[p] & 0xff) | (block[p + 1] & 0xff) << 8 | (block[p + 2] & 0xff) << 16 | (block[p + 3] & 0xff) << 24;
        }
        System.arraycopy(h, 0, v, 0, 8);
        System.arraycopy(IV, 0, v, 8, 8);
        v[12] ^= (int) counter;
        v[13] ^= (int) (counter >>> 32);
        if (last) {
            v[14] = ~v[14];
        }
        for (byte[] s : SIGMA) {
            mix(0, 4, 8, 12, m[s[0]], m[s[1]]);
            mix(1, 5, 9, 13, m[s[2]], m[s[3]]);
            mix(2, 6, 10, 14, m[s[4]], m[s[5]]);
            mix(3, 7, 11, 15, m[s[6]], m[s[7]]);
            mix(0, 5, 10, 15, m[s[8]], m[s[9]]);
            mix(1, 6, 11, 12, m[s[10]], m[s[11]]);
            mix(2, 7, 8, 13, m[s[12]], m[s[13]]);
            mix(3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for (int i = 0; i < 8; i++) {
            h[i] ^= v[i] ^ v[i + 8];
        }
    }

    private void mix(int a, int b, int c, int d, int x, int y) {
        v[a] = v[a] + v[b] + x;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 16);
        v[c] = v[c] + v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 12);
        v[a] = v[a] + v[b] + y;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 8);
        v[c] = v[c] + v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 7);
    }
}
