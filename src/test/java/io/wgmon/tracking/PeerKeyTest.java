package io.wgmon.tracking;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PeerKeyTest {
    private static final String ALICE = "hDtwbGS2BjGJAGKyW+Qmh/R8PaWdG8EU2rrafZnd/3Y=";
    private static final String BOB = "BcBpV7cLEvpq3FuUPvzMVQfZZamJJEPGw+B7OW3ITWE=";

    @Test
    void keysOfTheSameInterfaceAndPublicKeyAreEqualAsDistinctStrings() {
        PeerKey stored = new PeerKey("wg0", ALICE);
        PeerKey probe = new PeerKey(new String("wg0"), new String(ALICE));

        assertEquals(stored, probe);
        assertEquals(stored.hashCode(), probe.hashCode());
    }

    @Test
    void theInterfaceAndThePublicKeyEachTellKeysApart() {
        PeerKey alice = new PeerKey("wg0", ALICE);

        assertNotEquals(alice, new PeerKey("wg1", ALICE));
        assertNotEquals(alice, new PeerKey("wg0", BOB));
        assertNotEquals(new PeerKey("wg0", null), new PeerKey("wg1", null));
        assertNotEquals(alice, null);
        assertNotEquals(alice, (Object) "wg0:" + ALICE);
    }

    @Test
    void aMapFindsAPeerByAKeyMadeAgainAndNotByAnotherInterfacesKey() {
        Map<PeerKey, String> peers = new HashMap<>();
        peers.put(new PeerKey("wg0", ALICE), "alice on wg0");
        peers.put(new PeerKey("wg1", ALICE), "alice on wg1");

        assertEquals("alice on wg0", peers.get(new PeerKey(new String("wg0"), new String(ALICE))));
        assertEquals("alice on wg1", peers.get(new PeerKey("wg1", ALICE)));
        assertNull(peers.get(new PeerKey("wg2", ALICE)));
        assertNull(peers.get(new PeerKey("wg0", BOB)));
    }

    @Test
    void aKeyWithoutAPublicKeyEqualsOnlyItsLike() {
        assertEquals(new PeerKey("wg0", null), new PeerKey("wg0", null));
        assertEquals(new PeerKey("wg0", null).hashCode(), new PeerKey("wg0", null).hashCode());
        assertNotEquals(new PeerKey("wg0", null), new PeerKey("wg0", ALICE));
    }
}
