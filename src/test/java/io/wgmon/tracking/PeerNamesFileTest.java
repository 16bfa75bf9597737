package io.wgmon.tracking;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerNamesFileTest {
    private static final String ALICE = "rKi3G+UkqZcOHkhrD5pow0kQRjA879cGheGZskhWGVM=";
    private static final String BOB = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final String CAROL = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";
    private static final String SECRET = "YAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";

    @Test
    void readsFriendlyNamesFromAWgQuickFile() {
        Map<String, String> names = PeerNamesFile.parse(List.of(
                "[Interface]",
                "PrivateKey = " + SECRET,
                "ListenPort = 51820",
                "",
                "# friendly_name = alice-laptop",
                "[Peer]",
                "PublicKey = " + ALICE,
                "PresharedKey = " + SECRET,
                "AllowedIPs = 10.10.10.2/32",
                "",
                "[Peer]",
                "# Friendly_Name=bob phone",
                "PublicKey=" + BOB,
                "",
                "[Peer]",
                "PublicKey = " + CAROL));
        assertEquals(Map.of(ALICE, "alice-laptop", BOB, "bob phone"), names);
        assertFalse(names.containsKey(SECRET));
        assertFalse(names.containsValue(SECRET));
    }

    @Test
    void readsKeyEqualsNameLines() {
        assertEquals(Map.of(ALICE, "alice", BOB, "bob = the builder"), PeerNamesFile.parse(List.of(
                ALICE + "=alice", "# comment", "", BOB + " = bob = the builder", "garbage line")));
    }

    @Test
    void readsFriendlyJsonAboveOrInsideAPeer() {
        assertEquals(Map.of(ALICE, "alice", BOB, "bob", CAROL, "carol"), PeerNamesFile.parse(List.of(
                "# friendly_json = {\"username\": \"alice\", \"team\": \"ops\"}",
                "[Peer]",
                "PublicKey = " + ALICE,
                "[Peer]",
                "# friendly_json = {\"friendly_name\": \"bob\", \"name\": \"not this\"}",
                "PublicKey = " + BOB,
                "# friendly_json = {\"name\": \"carol\"}",
                "[Peer]",
                "PublicKey = " + CAROL,
                "# friendly_json = [\"not\", \"an object\"]",
                "[Peer]",
                "PublicKey = " + SECRET.replace('Y', 'Z'),
                "# friendly_json = {broken",
                "[Peer]",
                "PublicKey = " + SECRET.replace('Y', 'X'))));
    }

    @Test
    void readsExpectationsFromABracketAfterANameOrAWgmonExpectComment() {
        PeerNamesFile.Content content = PeerNamesFile.parseAll(List.of(
                ALICE + " = alice [always-on grace=10m]",
                BOB + " = bob [laptop]",
                "[Peer]",
                "# wgmon_expect = roaming",
                "PublicKey = " + CAROL));
        assertEquals(Map.of(ALICE, "alice", BOB, "bob [laptop]"), content.names(), "a bracket of other words is a name");
        assertEquals(Map.of(ALICE, new Expectation(true, Duration.ofMinutes(10), false),
                CAROL, new Expectation(false, Duration.ZERO, true)), content.expectations());
        assertEquals(List.of(), content.problems());
    }

    @Test
    void aBadExpectationIsOneProblemLineAndTheNameAndWhatParsedAreKept() {
        PeerNamesFile.Content content = PeerNamesFile.parseAll(List.of(
                "# a comment",
                ALICE + " = alice [always-on grace=10 fortnights " + SECRET + "]"));
        assertEquals(Map.of(ALICE, "alice"), content.names());
        assertEquals(Map.of(ALICE, new Expectation(true, null, false)), content.expectations(),
                "always-on kept, with the configured grace");
        assertEquals(1, content.problems().size());
        String problem = content.problems().get(0);
        assertTrue(problem.startsWith("line 2: unknown 'grace=10', 'fortnights', <a key>"), problem);
        assertFalse(problem.contains(SECRET.substring(0, 20)), "never a key in a log line");
    }
}
