package io.wgmon.wireguard;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public keys of devices whose replies carry only the private key (wireguard-go's UAPI), derived
 * once per key instead of once per scan (docs/architecture.md#wireguard). A scan runs rarely, so the JDK's
 * X25519 code stays cold and deriving cost more than reading and parsing a small device's whole
 * reply (docs/benchmarks.md#profiles-behind-code-choices). What is kept per device is the derived public key and a
 * SHA-256 of a random per-process salt and the private key, which tells "same key as last time"
 * without keeping the key; the private key itself stays the caller's, which zeroes it.
 */
public final class DevicePublicKeys {
    private static final int SALT_BYTES = 16;

    private record Derived(byte[] privateKeyDigest, String publicKey) {
    }

    private final byte[] salt = new byte[SALT_BYTES];
    private final ConcurrentHashMap<String, Derived> byDevice = new ConcurrentHashMap<>();

    public DevicePublicKeys() {
        new SecureRandom().nextBytes(salt);
    }

    /**
     * @param privateKey 32 bytes; read, never kept
     * @return the base64 public key, as {@code wg show} prints it
     */
    public String publicKeyOf(String device, byte[] privateKey) throws GeneralSecurityException {
        byte[] digest = digest(privateKey);
        Derived known = byDevice.get(device);
        if (known != null && MessageDigest.isEqual(known.privateKeyDigest(), digest)) {
            return known.publicKey();
        }
        String publicKey = Base64.getEncoder().encodeToString(X25519PublicKey.of(privateKey));
        byDevice.put(device, new Derived(digest, publicKey));
        return publicKey;
    }

    /** Keeps only these devices (the ones listed now), so removed interfaces do not stay in memory. */
    public void retainOnly(Collection<String> devices) {
        byDevice.keySet().retainAll(devices);
    }

    /** Devices remembered; for tests. */
    int size() {
        return byDevice.size();
    }

    private byte[] digest(byte[] privateKey) throws NoSuchAlgorithmException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(salt);
        sha256.update(privateKey);
        return sha256.digest();
    }
}
