package io.wgmon.handshake;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Blake2sTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc7693AppendixBAbc() {
        byte[] digest = new Blake2s().start(32, null).update("abc".getBytes()).finish();
        assertEquals("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982", HEX.formatHex(digest));
    }

    @Test
    void emptyMessage() {
        assertEquals("69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9",
                HEX.formatHex(new Blake2s().start(32, null).finish()));
    }

    /** RFC 7693 Appendix E: digests of every length, plain and keyed, over messages of several lengths, hashed together. */
    @Test
    void rfc7693AppendixESelfTest() {
        int[] digestLengths = {16, 20, 28, 32};
        int[] messageLengths = {0, 3, 64, 65, 255, 1024};
        Blake2s outer = new Blake2s().start(32, null);
        Blake2s inner = new Blake2s();
        for (int outlen : digestLengths) {
            for (int inlen : messageLengths) {
                byte[] message = selfTestSequence(inlen, inlen);
                byte[] md = inner.start(outlen, null).update(message).finish();
                outer.update(md);
                byte[] key = selfTestSequence(outlen, outlen);
                md = inner.start(outlen, key).update(message).finish();
                outer.update(md);
            }
        }
        assertEquals("6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe", HEX.formatHex(outer.finish()));
    }

    /** The reference implementation's keyed known answer: key 00..1f, message 00..fe (255 bytes). */
    @Test
    void keyedFullBlocksAndPieces() {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        byte[] message = new byte[255];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) i;
        }
        byte[] whole = new Blake2s().start(32, key).update(message).finish();
        Blake2s pieces = new Blake2s().start(32, key);
        pieces.update(message, 0, 64).update(message, 64, 1).update(message, 65, 190);
        assertEquals(HEX.formatHex(whole), HEX.formatHex(pieces.finish()), "the split must not matter");
        assertEquals("3fb735061abc519dfe979e54c1ee5bfad0a9d858b3315bad34bde999efd724dd", HEX.formatHex(whole));
    }

    /** A key block absorbed once and started from many times hashes as a keyed start each time. */
    @Test
    void startingFromAnAbsorbedKeyBlockMatchesAKeyedStart() {
        byte[] key = selfTestSequence(32, 7);
        Blake2s keyed = new Blake2s().start(16, key).absorbKeyBlock();
        Blake2s reused = new Blake2s();
        for (int length : new int[] {1, 63, 64, 65, 116, 255}) {
            byte[] message = selfTestSequence(length, length);
            byte[] expected = new Blake2s().start(16, key).update(message).finish();
            assertEquals(HEX.formatHex(expected), HEX.formatHex(reused.startFrom(keyed).update(message).finish()),
                    "message of " + length + " bytes");
        }
        assertThrows(IllegalStateException.class, () -> new Blake2s().start(16, null).absorbKeyBlock());
        assertThrows(IllegalStateException.class, () -> new Blake2s().startFrom(new Blake2s().start(16, key)));
    }

    @Test
    void rejectsBadLengths() {
        assertThrows(IllegalArgumentException.class, () -> new Blake2s().start(0, null));
        assertThrows(IllegalArgumentException.class, () -> new Blake2s().start(33, null));
        assertThrows(IllegalArgumentException.class, () -> new Blake2s().start(32, new byte[33]));
    }

    /** RFC 7693 Appendix E's selftest_seq: a Fibonacci-like byte sequence. */
    private static byte[] selfTestSequence(int length, int seed) {
        byte[] out = new byte[length];
        int a = 0xDEAD4BAD * seed;
        int b = 1;
        for (int i = 0; i < length; i++) {
            int t = a + b;
            a = b;
            b = t;
            out[i] = (byte) (t >>> 24);
        }
        return out;
    }
}
