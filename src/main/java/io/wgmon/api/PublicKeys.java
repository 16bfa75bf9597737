package io.wgmon.api;

import java.util.Base64;
import java.util.Optional;

/** A WireGuard public key as a client may write it in a URL: standard or url-safe base64, 44 characters. */
final class PublicKeys {
    private PublicKeys() {
    }

    /**
     * The key in standard base64 (as wgmon shows it), or empty when {@code text} is not 32 bytes in base64.
     * A '+' decoded from a query string as a space is taken back as '+'.
     */
    static Optional<String> standard(String text) {
        if (text.length() != 44 || !text.endsWith("=")) {
            return Optional.empty();
        }
        String standard = text.replace(' ', '+').replace('-', '+').replace('_', '/');
        try {
            byte[] key = Base64.getDecoder().decode(standard);
            return key.length == 32 ? Optional.of(Base64.getEncoder().encodeToString(key)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
