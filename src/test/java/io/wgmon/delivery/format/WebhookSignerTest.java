package io.wgmon.delivery.format;

import io.wgmon.delivery.TestEvents;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public class WebhookSignerTest {

    @Test
    void matchesGitHubsPublishedExample() {
        assertEquals("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                new WebhookSigner("It's a Secret to Everybody").sign("Hello, World!".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void matchesAnIndependentMacAndRejectsATamperedBody() throws Exception {
        byte[] body = new JsonPayloadFormat().render(TestEvents.connected()).body();
        String signature = new WebhookSigner("s3cret").sign(body);

        assertEquals(signature, "sha256=" + hmac("s3cret", body));
        byte[] tampered = body.clone();
        tampered[tampered.length / 2] ^= 1;
        assertNotEquals(signature, "sha256=" + hmac("s3cret", tampered));
        assertNotEquals(signature, "sha256=" + hmac("other", body));
    }

    @Test
    void isLowercaseHexAndHidesTheSecret() {
        WebhookSigner signer = new WebhookSigner("s3cret");
        String signature = signer.sign(new byte[]{1, 2, 3});
        assertEquals(7 + 64, signature.length());
        assertEquals(signature, signature.toLowerCase());
        assertFalse(signer.toString().contains("s3cret"));
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigner(""));
    }

    public static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
