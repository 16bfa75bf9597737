package io.wgmon.wireguard.uapi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight ASCII bytes at a time in one long ("SIMD within a register"), little-endian: the byte
 * at the lowest index is the lowest in the long: finding newlines, reading decimal digits and
 * comparing keys byte by byte showed in the UAPI parse's profile (docs/benchmarks.md#profiles-behind-code-choices).
 */
final class Swar {
    static final int WIDTH = Long.BYTES;
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final long HIGH_NIBBLES = 0xF0F0_F0F0_F0F0_F0F0L;

    private Swar() {
    }

    /** The eight bytes {@code bytes[at, at + 8)}. */
    static long word(byte[] bytes, int at) {
        return (long) WORDS.get(bytes, at);
    }

    /** The index of the first {@code wanted} in {@code bytes[from, to)}, or -1. */
    static int indexOf(byte[] bytes, int from, int to, byte wanted) {
        long pattern = ONES * (wanted & 0xff);
        int i = from;
        for (; i <= to - WIDTH; i += WIDTH) {
            long word = word(bytes, i) ^ pattern;
            // a high bit for each zero byte of word; a false one only above a true one (a borrow),
            // and the lowest index is the lowest byte, so the lowest bit set is exact
            long zeros = (word - ONES) & ~word & HIGH_BITS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** True when {@code a[aFrom, aFrom + length)} and {@code b[bFrom, bFrom + length)} hold the same bytes. */
    static boolean equal(byte[] a, int aFrom, byte[] b, int bFrom, int length) {
        if (length < WIDTH) {
            for (int i = 0; i < length; i++) {
                if (a[aFrom + i] != b[bFrom + i]) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < length - WIDTH; i += WIDTH) {
            if (word(a, aFrom + i) != word(b, bFrom + i)) {
                return false;
            }
        }
        // the last eight, overlapping the word before when the length is not a multiple of eight
        return word(a, aFrom + length - WIDTH) == word(b, bFrom + length - WIDTH);
    }

    /** True when all eight bytes of {@code word} are '0' to '9'. */
    static boolean isEightDigits(long word) {
        // '0'..'9' is 0x30..0x39: high nibble 3, and adding 6 must not carry out of the low nibble
        return ((word & HIGH_NIBBLES) | ((word + 6 * ONES) & HIGH_NIBBLES) >>> 4) == 0x3333_3333_3333_3333L;
    }

    /** The value of eight decimal digits ({@link #isEightDigits}), the first the most significant. */
    static long eightDigits(long word) {
        long digits = word - 0x3030_3030_3030_3030L;
        // pairs, then quads, then all eight: each step multiplies the higher-order half and adds
        long pairs = digits * 10 + (digits >>> 8);
        return ((pairs & 0x0000_00FF_0000_00FFL) * (100 + (1_000_000L << 32))
                + ((pairs >>> 16) & 0x0000_00FF_0000_00FFL) * (1 + (10_000L << 32))) >>> 32;
    }
}
