package io.wgmon.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowedHostsTest {
    private final AllowedHosts defaults = AllowedHosts.defaults("node-7");

    @Test
    void aNameMadeToResolveHereIsRefused() {
        assertFalse(defaults.allows("rebind.attacker.example"));
        assertFalse(defaults.allows("localhost.attacker.example"));
        assertFalse(defaults.allows("node-7.attacker.example"));
        assertFalse(defaults.allows("1.2.3.4.nip.io"));
    }

    @Test
    void localhostTheHostNameAndEveryAddressPass() {
        for (String host : new String[] {"localhost", "LOCALHOST", "localhost.", "node-7", "Node-7", "127.0.0.1",
                "192.0.2.7", "[::1]", "::1", "[fd00::2]", "[::ffff:127.0.0.1]"}) {
            assertTrue(defaults.allows(host), host);
        }
        assertTrue(defaults.allows(null), "no Host (HTTP/1.0): not a browser");
    }

    @Test
    void aListReplacesTheNamesAndStarAllowsAny() {
        AllowedHosts listed = new AllowedHosts(List.of("wgmon.example.org"));
        assertTrue(listed.allows("WGMON.example.org"));
        assertTrue(listed.allows("10.0.0.1"));
        assertFalse(listed.allows("node-7"));
        assertFalse(listed.allows("localhost"));
        assertTrue(new AllowedHosts(List.of("*")).allows("anything.example"));
    }
}
