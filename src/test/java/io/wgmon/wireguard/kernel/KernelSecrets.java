package io.wgmon.wireguard.kernel;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** Checks that text holds none of the secret keys {@link KernelDeviceEncoder} puts in its replies. */
final class KernelSecrets {
    private static final List<byte[]> SECRETS = List.of(KernelDeviceEncoder.PRIVATE_KEY, KernelDeviceEncoder.PRESHARED_KEY);

    private KernelSecrets() {
    }

    static void assertAbsent(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (byte[] secret : SECRETS) {
            String base64 = Base64.getEncoder().encodeToString(secret);
            assertFalse(text.contains(base64.substring(0, 20)), "base64 of a secret key in: " + text);
            assertFalse(lower.contains(HexFormat.of().formatHex(secret, 0, 8)), "hex of a secret key in: " + text);
            assertFalse(text.contains(java.util.Arrays.toString(secret).substring(0, 20)), "bytes of a secret key in: " + text);
        }
    }
}
