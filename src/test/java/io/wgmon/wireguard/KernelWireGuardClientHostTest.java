package io.wgmon.wireguard;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against the kernel this test runs on. The build machines have no WireGuard module, so there
 * the family is missing; where the module is loaded (the kernel-tier VM) the kernel's own
 * answers for non-WireGuard and missing interfaces are checked instead.
 */
class KernelWireGuardClientHostTest {
    private final KernelWireGuardClient client = new KernelWireGuardClient(Duration.ofSeconds(5));

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void listsTheWireGuardLinksOfThisNamespaceAndNoOthers() throws Exception {
        List<String> names = client.interfaceNames();

        assertFalse(names.contains("lo"), names.toString());
        if (!client.moduleLoaded()) {
            assertEquals(List.of(), names, "no module, no WireGuard links");
        }
        assertEquals(names, client.interfaceNames(), "the socket is reused for the next dump");
    }

    @Test
    void readingLoopbackSaysWhyItCannot() throws Exception {
        WireGuardException e = assertThrows(WireGuardException.class, () -> client.device("lo"));

        if (client.moduleLoaded()) {
            assertInstanceOf(DeviceNotFoundException.class, e);
            assertEquals("lo: not a WireGuard interface", e.getMessage());
        } else {
            assertInstanceOf(ModuleNotLoadedException.class, e);
            assertEquals("the wireguard kernel module is not loaded (no generic netlink family \"wireguard\")",
                    e.getMessage());
        }
    }

    @Test
    void readingAMissingInterfaceSaysWhyItCannot() throws Exception {
        WireGuardException e = assertThrows(WireGuardException.class, () -> client.device("wgmon-absent0"));

        if (client.moduleLoaded()) {
            assertInstanceOf(DeviceNotFoundException.class, e);
            assertEquals("wgmon-absent0: no such WireGuard interface", e.getMessage());
        } else {
            assertTrue(e.getMessage().startsWith("the wireguard kernel module is not loaded"), e.getMessage());
            // a missing module is not remembered: the second read asks the kernel again and says the same
            assertEquals(e.getMessage(), assertThrows(WireGuardException.class, () -> client.device("wgmon-absent0"))
                    .getMessage());
        }
    }

    @Test
    void namesTheKernelCannotHoldAreRefusedWithoutAsking() {
        assertEquals("'' is not an interface name",
                assertThrows(DeviceNotFoundException.class, () -> client.device("")).getMessage());
        assertEquals("'sixteen-chars-xx' is not an interface name",
                assertThrows(DeviceNotFoundException.class, () -> client.device("sixteen-chars-xx")).getMessage());
    }

    @Test
    void aClosedClientRefusesWork() {
        client.close();

        WireGuardException e = assertThrows(WireGuardException.class, client::interfaceNames);

        assertEquals("the kernel WireGuard client is closed", e.getMessage());
        assertEquals("kernel", client.backendName());
    }
}
