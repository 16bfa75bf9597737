package io.wgmon.wireguard.uapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A reply captured from wireguard-go v0.0.20220316 ({@code get=1} on a server with three peers),
 * with its private key and its one preshared key replaced by freshly generated fake keys.
 */
public final class UapiFixtures {
    public static final String FAKE_PRIVATE_KEY_HEX = "280cd14c75c1f8f5dc049ef762bcf3711722c10381b51db26f584c19c1546d6e";
    static final String FAKE_PRIVATE_KEY_BASE64 = "KAzRTHXB+PXcBJ73YrzzcRciwQOBtR2yb1hMGcFUbW4=";
    /** {@code wg pubkey} of the fake private key. */
    public static final String DEVICE_PUBLIC_KEY = "YjR477suLIF7VgW476dkbKVUYdjFg20rNKAfVdi7YR8=";
    static final String FAKE_PRESHARED_KEY_HEX = "95c382de2c3d52b738f0e86e6ffb39349773cdfc2dcfa34f88d7b53c490d1b56";
    static final String FAKE_PRESHARED_KEY_BASE64 = "lcOC3iw9Urc48Ohub/s5NJdzzfwtz6NPiNe1PEkNG1Y=";

    static final List<String> SECRETS = List.of(
            FAKE_PRIVATE_KEY_HEX, FAKE_PRIVATE_KEY_BASE64, FAKE_PRESHARED_KEY_HEX, FAKE_PRESHARED_KEY_BASE64);

    private UapiFixtures() {
    }

    static String wireguardGoReply() {
        try (InputStream in = UapiFixtures.class.getResourceAsStream("wireguard-go-get-reply.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Null when no secret (in hex, either case, or base64) occurs in the text. */
    static String secretIn(String text) {
        if (text == null) {
            return null;
        }
        String lower = text.toLowerCase();
        for (String secret : SECRETS) {
            if (text.contains(secret) || lower.contains(secret.toLowerCase())) {
                return secret;
            }
        }
        return null;
    }
}
