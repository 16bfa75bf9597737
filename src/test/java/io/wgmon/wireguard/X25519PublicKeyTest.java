package io.wgmon.wireguard;

import io.wgmon.wireguard.uapi.UapiFixtures;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

class X25519PublicKeyTest {
    @Test
    void matchesRfc7748() throws Exception {
        byte[] alicePrivate = HexFormat.of().parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");

        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                HexFormat.of().formatHex(X25519PublicKey.of(alicePrivate)));
    }

    @Test
    void matchesWgPubkey() throws Exception {
        byte[] privateKey = HexFormat.of().parseHex(UapiFixtures.FAKE_PRIVATE_KEY_HEX);

        assertEquals(UapiFixtures.DEVICE_PUBLIC_KEY, Base64.getEncoder().encodeToString(X25519PublicKey.of(privateKey)));
    }
}
