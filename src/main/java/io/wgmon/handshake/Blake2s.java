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

    /**
     * Compresses the key block now instead of with the next update, so that {@link #startFrom} can begin many
     * messages under one key without hashing it again (one compression of three per initiation's MAC1). Only
     * right after a keyed {@link #start}, and only for messages that are not empty: an empty one would need the
     * key block compressed as the final block.
     */
    public Blake2s absorbKeyBlock() {
        if (buffered != BLOCK_BYTES || counter != 0) {
            throw new IllegalStateException("absorbKeyBlock only right after a keyed start");
        }
        counter = BLOCK_BYTES;
        compress(buffer, 0, false);
        Arrays.fill(buffer, (byte) 0);
        buffered = 0;
        return this;
    }

    /** Starts a new message from {@code keyed}'s state, as {@link #absorbKeyBlock} left it; {@code keyed} is not changed. */
    public Blake2s startFrom(Blake2s keyed) {
        if (keyed.buffered != 0 || keyed.counter != BLOCK_BYTES) {
            throw new IllegalStateException("startFrom needs a state left by absorbKeyBlock");
        }
        System.arraycopy(keyed.h, 0, h, 0, 8);
        digestLength = keyed.digestLength;
        counter = BLOCK_BYTES;
        buffered = 0;
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

    /**
     * The 16-word state lives in locals, not in an array: C1, the only compiler wgmon's JVM runs
     * (src/main/bin/jvm.options), keeps locals in registers or stack slots but loads and stores every
     * array element with a bounds check, which made this the most costly step of a packet's path.
     */
    private void compress(byte[] block, int offset, boolean last) {
        int[] m = this.m;
        for (int i = 0; i < 16; i++) {
            int p = offset + 4 * i;
            m[i] = (block[p] & 0xff) | (block[p + 1] & 0xff) << 8 | (block[p + 2] & 0xff) << 16 | (block[p + 3] & 0xff) << 24;
        }
        int[] h = this.h;
        int v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3], v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];
        int v8 = IV[0], v9 = IV[1], v10 = IV[2], v11 = IV[3];
        int v12 = IV[4] ^ (int) counter;
        int v13 = IV[5] ^ (int) (counter >>> 32);
        int v14 = last ? ~IV[6] : IV[6];
        int v15 = IV[7];
        for (byte[] s : SIGMA) {
            // G(v0, v4, v8, v12), G(v1, v5, v9, v13), G(v2, v6, v10, v14), G(v3, v7, v11, v15): the columns
            v0 += v4 + m[s[0]]; v12 = Integer.rotateRight(v12 ^ v0, 16); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 12);
            v0 += v4 + m[s[1]]; v12 = Integer.rotateRight(v12 ^ v0, 8); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 7);
            v1 += v5 + m[s[2]]; v13 = Integer.rotateRight(v13 ^ v1, 16); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 12);
            v1 += v5 + m[s[3]]; v13 = Integer.rotateRight(v13 ^ v1, 8); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 7);
            v2 += v6 + m[s[4]]; v14 = Integer.rotateRight(v14 ^ v2, 16); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 12);
            v2 += v6 + m[s[5]]; v14 = Integer.rotateRight(v14 ^ v2, 8); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 7);
            v3 += v7 + m[s[6]]; v15 = Integer.rotateRight(v15 ^ v3, 16); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 12);
            v3 += v7 + m[s[7]]; v15 = Integer.rotateRight(v15 ^ v3, 8); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 7);
            // G(v0, v5, v10, v15), G(v1, v6, v11, v12), G(v2, v7, v8, v13), G(v3, v4, v9, v14): the diagonals
            v0 += v5 + m[s[8]]; v15 = Integer.rotateRight(v15 ^ v0, 16); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 12);
            v0 += v5 + m[s[9]]; v15 = Integer.rotateRight(v15 ^ v0, 8); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 7);
            v1 += v6 + m[s[10]]; v12 = Integer.rotateRight(v12 ^ v1, 16); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 12);
            v1 += v6 + m[s[11]]; v12 = Integer.rotateRight(v12 ^ v1, 8); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 7);
            v2 += v7 + m[s[12]]; v13 = Integer.rotateRight(v13 ^ v2, 16); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 12);
            v2 += v7 + m[s[13]]; v13 = Integer.rotateRight(v13 ^ v2, 8); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 7);
            v3 += v4 + m[s[14]]; v14 = Integer.rotateRight(v14 ^ v3, 16); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 12);
            v3 += v4 + m[s[15]]; v14 = Integer.rotateRight(v14 ^ v3, 8); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 7);
        }
        h[0] ^= v0 ^ v8;
        h[1] ^= v1 ^ v9;
        h[2] ^= v2 ^ v10;
        h[3] ^= v3 ^ v11;
        h[4] ^= v4 ^ v12;
        h[5] ^= v5 ^ v13;
        h[6] ^= v6 ^ v14;
        h[7] ^= v7 ^ v15;
    }
}
