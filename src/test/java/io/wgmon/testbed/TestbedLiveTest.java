package io.wgmon.testbed;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test bed itself: two clients handshake with the server, and nothing is left behind. */
class TestbedLiveTest {
    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft", "ping");
    }

    @Test
    void clientsHandshakeAndEverythingIsCleanedUp() throws Exception {
        String serverNs;
        String serverInterface;
        try (Testbed testbed = Testbed.create(3000)) {
            serverNs = testbed.serverNs();
            serverInterface = testbed.serverInterface();
            Testbed.Client first = testbed.addClient();
            Testbed.Client second = testbed.addClient();
            testbed.ping(first);
            testbed.ping(second);
            String dump = testbed.sh(serverNs, "wg", "show", serverInterface, "latest-handshakes");
            assertTrue(dump.contains(first.publicKey()), dump);
            assertTrue(dump.contains(second.publicKey()), dump);
            for (String line : dump.strip().split("\n")) {
                assertFalse(line.endsWith("\t0"), "peer without handshake: " + line);
            }
            String inNamespace = NetNs.call(serverNs, () -> NetworkInterface.getByName(serverInterface).getName());
            assertEquals(serverInterface, inNamespace);
            assertTrue(NetNs.call(serverNs, () -> InetAddress.getByName("10.10.10.1").isReachable(2000)));
        }
        assertFalse(Shell.run(java.util.List.of("ip", "netns", "list")).contains(serverNs));
        assertFalse(Files.exists(Testbed.UAPI_DIR.resolve(serverInterface + ".sock")));
    }
}
