package io.wgmon.wireguard.uapi;

import io.wgmon.wireguard.DevicePublicKeys;
import io.wgmon.wireguard.ReplyLimits;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.WireGuardException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any bytes as a UAPI {@code get=1} reply: a device, or {@link WireGuardException} MALFORMED_REPLY
 * (or REFUSED for a nonzero errno line), nothing else; the same outcome whether the reply comes at
 * once or a byte at a time; and no private or preshared key in the device
 * (docs/architecture.md#packages, docs/architecture.md#wireguard).
 */
class UapiReplyParserFuzzIT {
    private static final Set<WireGuardException.Reason> ALLOWED =
            Set.of(WireGuardException.Reason.MALFORMED_REPLY, WireGuardException.Reason.REFUSED);

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] reply) {
        String whole = outcome(reply, reply.length);
        assertEquals(whole, outcome(reply, 1), "the reply at once and a byte at a time");
        KnownPeers known = new KnownPeers();
        wholeRead(UapiFixtures.wireguardGoReply().getBytes(StandardCharsets.US_ASCII), known);
        assertEquals(whole, wholeRead(reply, known), "a whole read after wireguard-go's reply");
        wholeRead(reply, known);
        assertEquals(whole, wholeRead(reply, known), "a whole read after reading it whole");
        if (whole.startsWith("device ")) {
            for (String secret : secretsIn(reply)) {
                assertFalse(whole.contains(secret), "a private or preshared key in the parsed device");
            }
        }
    }

    /** "device ..." or "error REASON: message"; any other exception escapes. */
    private static String outcome(byte[] reply, int chunk) {
        UapiReplyParser parser = new UapiReplyParser("wg0", ReplyLimits.forThisHeap().budget("wg0: UAPI reply"), new DevicePublicKeys(), new KnownPeers());
        try {
            for (int offset = 0; offset < reply.length; offset += chunk) {
                parser.feed(reply, offset, Math.min(chunk, reply.length - offset));
            }
            Device device = parser.device();
            return "device " + device;
        } catch (WireGuardException e) {
            assertTrue(ALLOWED.contains(e.reason()), () -> "reason " + e.reason());
            return "error " + e.reason() + ": " + e.getMessage();
        }
    }

    /** As {@link #outcome}, the reply read whole (a copy: the read rewrites it) against the last whole read. */
    private static String wholeRead(byte[] reply, KnownPeers known) {
        UapiReplyParser parser = new UapiReplyParser("wg0", ReplyLimits.forThisHeap().budget("wg0: UAPI reply"), new DevicePublicKeys(), known);
        try {
            return "device " + parser.read(reply.clone(), reply.length);
        } catch (WireGuardException e) {
            assertTrue(ALLOWED.contains(e.reason()), () -> "reason " + e.reason());
            known.clear(); // as the client does after a failed read
            return "error " + e.reason() + ": " + e.getMessage();
        }
    }

    /** The secret keys of the reply in base64, except those also given as a peer's public key. */
    private static List<String> secretsIn(byte[] reply) {
        List<String> publicKeys = new ArrayList<>();
        List<String> secretKeys = new ArrayList<>();
        for (String line : new String(reply, StandardCharsets.ISO_8859_1).split("\n")) {
            int equals = line.indexOf('=');
            String value = equals < 0 ? "" : line.substring(equals + 1).toLowerCase();
            if (value.length() != 64 || !value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                continue;
            }
            switch (line.substring(0, equals)) {
                case "public_key" -> publicKeys.add(value);
                case "private_key", "preshared_key" -> secretKeys.add(value);
                default -> {
                }
            }
        }
        List<String> secrets = new ArrayList<>();
        for (String hex : secretKeys) {
            if (!publicKeys.contains(hex)) {
                secrets.add(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
            }
        }
        return secrets;
    }
}
