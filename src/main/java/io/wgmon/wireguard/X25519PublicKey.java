package io.wgmon.wireguard;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * The WireGuard public key of a private key: X25519 of the private key and the base point
 * (u = 9), which is what {@code wg pubkey} computes. Uses the JDK's XDH provider, which clamps
 * the scalar as RFC 7748 says. The JDK keeps its own copies of the scalar only inside objects
 * that are unreachable once this method returns; the caller zeroes the array it passed.
 */
public final class X25519PublicKey {
    private static final XECPublicKeySpec BASE_POINT =
            new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9));

    private X25519PublicKey() {
    }

    /** @param privateKey 32 bytes, as WireGuard stores them; 32 bytes of public key are returned */
    public static byte[] of(byte[] privateKey) throws GeneralSecurityException {
        KeyFactory keys = KeyFactory.getInstance("XDH");
        KeyAgreement agreement = KeyAgreement.getInstance("XDH");
        agreement.init(keys.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey)));
        agreement.doPhase(keys.generatePublic(BASE_POINT), true);
        return agreement.generateSecret();
    }
}
