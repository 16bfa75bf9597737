package io.wgmon.api;

import io.wgmon.config.WgmonConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Who may read the API, the event stream and the metrics (docs/architecture.md#surfaces): a client that
 * sends {@code Authorization: Bearer <wgmon.api.token>}, and a client whose connection comes from
 * loopback while {@code wgmon.api.trust-loopback} holds (by default only without a token). Without a
 * token configured nothing but trusted loopback is answered.
 */
public final class ApiAccess {

    public enum Decision {
        ALLOW,
        /** 401: a token is configured and the request carried none. */
        NEEDS_TOKEN,
        /** 401, and counted against the source: the request carried a token that is not the one. */
        WRONG_TOKEN,
        /** 403: no token is configured, so nothing but trusted loopback can get in. */
        CLOSED
    }

    /** SHA-256 of the token, or null without one; digests of equal length make the compare's time independent of the token. */
    private final byte[] tokenDigest;
    private final boolean trustLoopback;

    public ApiAccess(Optional<String> token, Optional<Boolean> trustLoopback) {
        this.tokenDigest = token.map(ApiAccess::sha256).orElse(null);
        this.trustLoopback = trustLoopback.orElse(token.isEmpty());
    }

    public static ApiAccess of(WgmonConfig.Api api) {
        return new ApiAccess(api.token(), api.trustLoopback());
    }

    /** Whether a client whose socket peer is loopback gets in without a token. */
    public boolean trusts(boolean loopback) {
        return loopback && trustLoopback;
    }

    public boolean tokenConfigured() {
        return tokenDigest != null;
    }

    /** What an {@code Authorization} header value (or null) opens, for a client not trusted by its address. */
    public Decision decide(String authorization) {
        if (tokenDigest == null) {
            return Decision.CLOSED;
        }
        String presented = bearerToken(authorization);
        if (presented == null) {
            return Decision.NEEDS_TOKEN;
        }
        return matches(presented) ? Decision.ALLOW : Decision.WRONG_TOKEN;
    }

    /** Whether {@code presented} is the configured token; false without one. */
    public boolean matches(String presented) {
        return tokenDigest != null && MessageDigest.isEqual(tokenDigest, sha256(presented));
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

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
