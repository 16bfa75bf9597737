package io.wgmon.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Checks the mac1 field of a handshake initiation against one responder public key (WireGuard paper
 * §5.4.4): mac1 = MAC(HASH("mac1----" ‖ responder public key), initiation[0:116]), HASH being BLAKE2s-256 and
 * MAC keyed BLAKE2s with a 16-byte digest. Only a sender that knows the interface's public key can make
 * one that checks. The key is derived, and its keyed block compressed, once; a check allocates nothing. Not
 * thread-safe.
 */
public final class Mac1 {
    public static final int MAC_INPUT_BYTES = 116;
    public static final int MAC_BYTES = 16;
    private static final byte[] LABEL = "mac1----".getBytes(StandardCharsets.US_ASCII);

    private final Blake2s blake2s = new Blake2s();
    /** The MAC's state after its key block: every check starts from it. */
    private final Blake2s keyed = new Blake2s();
    private final byte[] computed = new byte[MAC_BYTES];

    /** @param responderPublicKey base64, 32 bytes, as {@code wg show} prints it */
    public Mac1(String responderPublicKey) {
        byte[] publicKey = Base64.getDecoder().decode(responderPublicKey);
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("a WireGuard public key has 32 bytes, not " + publicKey.length);
        }
        byte[] key = new byte[Blake2s.MAX_DIGEST_BYTES];
        blake2s.start(Blake2s.MAX_DIGEST_BYTES, null).update(LABEL).update(publicKey).finish(key, 0);
        keyed.start(MAC_BYTES, key).absorbKeyBlock();
    }

    /**
     * @param initiation at least {@code offset + 132} bytes from {@code offset}: the initiation's first 116
     *                   bytes, then its mac1
     */
    public boolean valid(byte[] initiation, int offset) {
        blake2s.startFrom(keyed).update(initiation, offset, MAC_INPUT_BYTES).finish(computed, 0);
        int difference = 0;
        for (int i = 0; i < MAC_BYTES; i++) {
            difference |= computed[i] ^ initiation[offset + MAC_INPUT_BYTES + i];
        }
        return difference == 0;
    }
}
