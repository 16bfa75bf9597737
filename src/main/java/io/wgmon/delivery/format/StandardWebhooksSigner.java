package io.wgmon.delivery.format;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Standard Webhooks (standardwebhooks.com): {@code webhook-id}, {@code webhook-timestamp} (Unix seconds
 * of the attempt) and {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, keyed
 * by the base64 part of a {@code whsec_} secret. Signed per attempt, so a retry after an outage is still
 * inside the receiver's replay window (five minutes in the reference libraries).
 */
public final class StandardWebhooksSigner {
    static final String PREFIX = "whsec_";
    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";

    private final SecretKeySpec key;

    /** @throws IllegalArgumentException when the secret is not {@code whsec_} plus base64 */
    public StandardWebhooksSigner(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() == PREFIX.length()) {
            throw new IllegalArgumentException("a Standard Webhooks secret is whsec_ followed by base64");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a Standard Webhooks secret is whsec_ followed by base64", e);
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    public Map<String, String> headers(String id, Instant attempt, byte[] body) {
        String timestamp = Long.toString(attempt.getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID, id);
        headers.put(TIMESTAMP, timestamp);
        headers.put(SIGNATURE, "v1," + sign(id, timestamp, body));
        return headers;
    }

    private String sign(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "StandardWebhooksSigner[secret hidden]";
    }
}
