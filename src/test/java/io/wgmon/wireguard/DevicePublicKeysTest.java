package io.wgmon.wireguard;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class DevicePublicKeysTest {
    // RFC 7748 §6.1: Alice's private key and the public key X25519 derives from it
    private static final byte[] ALICE = HexFormat.of().parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static final String ALICE_PUBLIC = Base64.getEncoder().encodeToString(
            HexFormat.of().parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
    private static final byte[] BOB = HexFormat.of().parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    private static final String BOB_PUBLIC = Base64.getEncoder().encodeToString(
            HexFormat.of().parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));

    private final DevicePublicKeys keys = new DevicePublicKeys();

    @Test
    void derivesThePublicKeyOfTheRfcVector() throws Exception {
        assertEquals(ALICE_PUBLIC, keys.publicKeyOf("wg0", ALICE.clone()));
    }

    @Test
    void theSameKeyAgainIsAnsweredFromMemory() throws Exception {
        String first = keys.publicKeyOf("wg0", ALICE.clone());
        assertSame(first, keys.publicKeyOf("wg0", ALICE.clone()), "not derived again");
    }

    @Test
    void aChangedPrivateKeyIsDerivedAfresh() throws Exception {
        keys.publicKeyOf("wg0", ALICE.clone());
        assertEquals(BOB_PUBLIC, keys.publicKeyOf("wg0", BOB.clone()));
        assertEquals(ALICE_PUBLIC, keys.publicKeyOf("wg0", ALICE.clone()));
    }

    @Test
    void devicesAreKeptApart() throws Exception {
        assertEquals(ALICE_PUBLIC, keys.publicKeyOf("wg0", ALICE.clone()));
        assertEquals(BOB_PUBLIC, keys.publicKeyOf("wg1", BOB.clone()));
        assertEquals(ALICE_PUBLIC, keys.publicKeyOf("wg0", ALICE.clone()));
    }

    @Test
    void keysOfDevicesNoLongerListedAreForgotten() throws Exception {
        keys.publicKeyOf("wg0", ALICE.clone());
        keys.publicKeyOf("wg1", BOB.clone());
        keys.retainOnly(List.of("wg1"));
        assertEquals(1, keys.size());
    }

    @Test
    void thePrivateKeyPassedInIsLeftAsItWas() throws Exception {
        byte[] key = ALICE.clone();
        keys.publicKeyOf("wg0", key);
        keys.publicKeyOf("wg0", key);
        assertEquals(HexFormat.of().formatHex(ALICE), HexFormat.of().formatHex(key));
        assertNotEquals(ALICE_PUBLIC, keys.publicKeyOf("wg0", BOB.clone()));
    }
}
