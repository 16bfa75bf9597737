package io.wgmon.handshake;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Vectors from mac1-vectors.py (Python's hashlib.blake2s), committed as mac1-vectors.txt. */
class Mac1Test {
    private record Vector(String publicKey, byte[] initiation) {
    }

    private static List<Vector> vectors() throws Exception {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                Mac1Test.class.getResourceAsStream("mac1-vectors.txt")), StandardCharsets.US_ASCII))) {
            return reader.lines().map(line -> line.split(" ")).map(f -> new Vector(f[0],
                    HexFormat.of().parseHex(f[1] + f[2]))).toList();
        }
    }

    @Test
    void acceptsEveryIndependentlyComputedMac1() throws Exception {
        List<Vector> vectors = vectors();
        assertEquals(8, vectors.size());
        for (Vector vector : vectors) {
            assertTrue(new Mac1(vector.publicKey()).valid(vector.initiation(), 0), vector.publicKey());
        }
    }

    @Test
    void rejectsAMac1MadeForAnotherKey() throws Exception {
        List<Vector> vectors = vectors();
        Mac1 first = new Mac1(vectors.get(0).publicKey());
        for (Vector other : vectors.subList(1, vectors.size())) {
            assertFalse(first.valid(other.initiation(), 0));
        }
    }

    @Test
    void rejectsAnyFlippedBit() throws Exception {
        Vector vector = vectors().get(3);
        Mac1 mac1 = new Mac1(vector.publicKey());
        for (int bit = 0; bit < 132 * 8; bit += 7) {
            byte[] changed = vector.initiation().clone();
            changed[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(mac1.valid(changed, 0), "bit " + bit);
        }
        assertTrue(mac1.valid(vector.initiation(), 0), "the checker has no memory of earlier checks");
    }

    @Test
    void readsAtAnOffset() throws Exception {
        Vector vector = vectors().get(5);
        byte[] shifted = new byte[7 + 132];
        System.arraycopy(vector.initiation(), 0, shifted, 7, 132);
        assertTrue(new Mac1(vector.publicKey()).valid(shifted, 7));
    }

    @Test
    void rejectsAKeyOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> new Mac1("AAAA"));
    }
}
