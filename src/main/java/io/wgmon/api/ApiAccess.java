package io.wgmon.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Who may read the API, the event stream and the metrics (docs/architecture.md §12): a client on
 * loopback, or one that sends {@code Authorization: Bearer <wgmon.api.token>}. Without a token
 * configured only loopback is answered.
 */
public final class ApiAccess {

    public enum Decision {
        ALLOW,
        /** 401: a token is configured and the request did not carry it. */
        NEEDS_TOKEN,
        /** 403: no token is configured, so nothing but loopback can get in. */
        CLOSED
    }

    /** SHA-256 of the token, or null without one; digests of equal length make the compare's time independent of the token. */
    private final byte[] tokenDigest;

    public ApiAccess(Optional<String> token) {
        this.tokenDigest = token.map(ApiAccess::sha256).orElse(null);
    }

    public Decision decide(boolean loopback, String authorization) {
        if (loopback) {
            return Decision.ALLOW;
        }
        if (tokenDigest == null) {
            return Decision.CLOSED;
        }
        String presented = bearerToken(authorization);
        return presented != null && MessageDigest.isEqual(tokenDigest, sha256(presented))
                ? Decision.ALLOW : Decision.NEEDS_TOKEN;
    }

    /** The credentials of an {@code Authorization: Bearer ...} value (scheme case-insensitive, RFC 7235), else null. */
    static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        String scheme = "Bearer ";
        if (value.length() <= scheme.length() || !value.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        String credentials = value.substring(scheme.length()).strip();
        return credentials.isEmpty() ? null : credentials;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
