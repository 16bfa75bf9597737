package io.wgmon.wireguard.uapi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwarTest {
    @Test
    void indexOfFindsTheFirstMatchAtEveryOffsetAndLength() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly bytes next to '\n' (0x0a), where a borrow could make a false match
                bytes[i] = (byte) (random.nextInt(8) == 0 ? '\n' : 0x09 + random.nextInt(3) * 0x80 + random.nextInt(2));
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            assertEquals(naiveIndexOf(bytes, from, to, (byte) '\n'), Swar.indexOf(bytes, from, to, (byte) '\n'),
                    Arrays.toString(bytes) + " [" + from + ", " + to + ")");
        }
    }

    @Test
    void indexOfIsMinusOneWithoutAMatchAndFindsHighBytes() {
        byte[] bytes = "0123456789abcdef\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(-1, Swar.indexOf(bytes, 0, bytes.length, (byte) '\n'));
        assertEquals(16, Swar.indexOf(bytes, 0, bytes.length, (byte) 0xff));
        assertEquals(-1, Swar.indexOf(bytes, 0, 16, (byte) 0xff));
        assertEquals(10, Swar.indexOf(bytes, 3, bytes.length, (byte) 'a'));
    }

    @Test
    void equalComparesExactlyTheRangeAtEveryLength() {
        byte[] a = "persistent_keepalive_interval=25".getBytes(StandardCharsets.US_ASCII);
        for (int length = 0; length <= 29; length++) {
            byte[] b = ("xx" + new String(a, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
            assertTrue(Swar.equal(a, 0, b, 2, length), "length " + length);
            for (int changed = 0; changed < length; changed++) {
                byte[] c = b.clone();
                c[2 + changed] ^= 0x20;
                assertFalse(Swar.equal(a, 0, c, 2, length), "length " + length + ", byte " + changed + " changed");
            }
        }
    }

    @Test
    void eightDigitsAreRecognisedAndValued() {
        Random random = new Random(11);
        for (int round = 0; round < 10_000; round++) {
            String digits = String.format("%08d", random.nextInt(100_000_000));
            long word = Swar.word(digits.getBytes(StandardCharsets.US_ASCII), 0);
            assertTrue(Swar.isEightDigits(word), digits);
            assertEquals(Long.parseLong(digits), Swar.eightDigits(word), digits);
        }
        for (int position = 0; position < 8; position++) {
            for (int c = 0; c < 256; c++) {
                byte[] bytes = "99999999".getBytes(StandardCharsets.US_ASCII);
                bytes[position] = (byte) c;
                assertEquals(c >= '0' && c <= '9', Swar.isEightDigits(Swar.word(bytes, 0)), "byte " + c + " at " + position);
            }
        }
    }

    @Test
    void decimalsOfEveryLengthUpToTheLimit() {
        for (int length = 1; length <= 19; length++) {
            String nines = "9".repeat(length);
            long expected = length == 19 ? -1 : Long.parseLong(nines);
            assertEquals(expected, decimal(nines, Long.MAX_VALUE), nines);
            assertEquals(length == 1 ? 9 : -1, decimal(nines, 9), nines + " above its max");
            for (int bad = 0; bad < length; bad++) {
                char[] chars = nines.toCharArray();
                chars[bad] = bad % 2 == 0 ? '/' : ':';
                assertEquals(-1, decimal(new String(chars), Long.MAX_VALUE), new String(chars));
            }
        }
        assertEquals(Long.MAX_VALUE, decimal("9223372036854775807", Long.MAX_VALUE));
        assertEquals(-1, decimal("9223372036854775808", Long.MAX_VALUE), "one past Long.MAX_VALUE wraps negative");
        assertEquals(-1, decimal("18446744073709551617", Long.MAX_VALUE), "20 digits");
        assertEquals(-1, decimal("", Long.MAX_VALUE));
        assertEquals(7, decimal("00000000000000007", 7), "leading zeros");
        assertEquals(1234567890123L, decimal("1234567890123", Long.MAX_VALUE));
    }

    private static long decimal(String text, long max) {
        // in the middle of a longer array, so the eight-byte reads have bytes on both sides
        byte[] bytes = ("=" + text + "\n1234567").getBytes(StandardCharsets.US_ASCII);
        return UapiValueDecoder.decimal(bytes, 1, 1 + text.length(), max);
    }

    private static int naiveIndexOf(byte[] bytes, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
