package io.wgmon.tracking;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConfiguredExpectationsTest {
    private static final PeerKey ALICE = new PeerKey("wg0", "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=");
    private static final PeerKey BOB = new PeerKey("wg0", "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=");
    private static final PeerKey CAROL = new PeerKey("wg0", "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=");

    @Test
    void theSettingListsNamesOrKeysAndTheFileAddsItsOwnGrace() {
        Map<String, Expectation> file = new HashMap<>(Map.of(CAROL.publicKey(), new Expectation(true, null, true)));
        Map<String, String> names = new HashMap<>(Map.of(ALICE.publicKey(), "site-b"));
        ConfiguredExpectations expectations = new ConfiguredExpectations(() -> file, key -> names.get(key.publicKey()),
                Set.of("site-b", BOB.publicKey()), Set.of(), Duration.ofMinutes(5));
        assertEquals(new Expectation(true, Duration.ofMinutes(5), false), expectations.of(ALICE), "by name");
        assertEquals(new Expectation(true, Duration.ofMinutes(5), false), expectations.of(BOB), "by key");
        assertEquals(new Expectation(true, Duration.ofMinutes(5), true), expectations.of(CAROL), "the file, default grace");
        file.put(CAROL.publicKey(), new Expectation(true, Duration.ofSeconds(30), false));
        assertEquals(new Expectation(true, Duration.ofSeconds(30), false), expectations.of(CAROL), "the file as it is now");
        names.put(ALICE.publicKey(), "renamed");
        assertEquals(Expectation.NONE, expectations.of(ALICE), "a name follows the names file");
    }
}
