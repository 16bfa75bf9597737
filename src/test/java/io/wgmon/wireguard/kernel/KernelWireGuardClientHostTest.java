package io.wgmon.wireguard.kernel;

import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against the kernel this test runs on. The build machines have no WireGuard module, so there
 * the family is missing; where the module is loaded (the kernel-tier VM) the kernel's own
 * answers for non-WireGuard and missing interfaces are checked instead.
 */
class KernelWireGuardClientHostTest {
    private final KernelWireGuardClient client = new KernelWireGuardClient(Duration.ofSeconds(5), ReplyLimits.forThisHeap());

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
            assertEquals(Reason.NO_SUCH_DEVICE, e.reason());
            assertEquals("lo: not a WireGuard interface", e.getMessage());
        } else {
            assertEquals(Reason.MODULE_NOT_LOADED, e.reason());
            assertEquals("the wireguard kernel module is not loaded (no generic netlink family \"wireguard\")",
                    e.getMessage());
        }
    }

    @Test
    void readingAMissingInterfaceSaysWhyItCannot() throws Exception {
        WireGuardException e = assertThrows(WireGuardException.class, () -> client.device("wgmon-absent0"));

        if (client.moduleLoaded()) {
            assertEquals(Reason.NO_SUCH_DEVICE, e.reason());
            assertEquals("wgmon-absent0: no such WireGuard interface", e.getMessage());
        } else {
            assertEquals(Reason.MODULE_NOT_LOADED, e.reason());
            assertTrue(e.getMessage().startsWith("the wireguard kernel module is not loaded"), e.getMessage());
            // a missing module is not remembered: the second read asks the kernel again and says the same
            assertEquals(e.getMessage(), assertThrows(WireGuardException.class, () -> client.device("wgmon-absent0"))
                    .getMessage());
        }
    }

    @Test
    void namesTheKernelCannotHoldAreRefusedWithoutAsking() {
        WireGuardException empty = assertThrows(WireGuardException.class, () -> client.device(""));
        assertEquals(Reason.NO_SUCH_DEVICE, empty.reason());
        assertEquals("'' is not an interface name", empty.getMessage());
        WireGuardException tooLong = assertThrows(WireGuardException.class, () -> client.device("sixteen-chars-xx"));
        assertEquals(Reason.NO_SUCH_DEVICE, tooLong.reason());
        assertEquals("'sixteen-chars-xx' is not an interface name", tooLong.getMessage());
    }

    @Test
    void aClosedClientRefusesWork() {
        client.close();

        WireGuardException e = assertThrows(WireGuardException.class, client::interfaceNames);

        assertEquals("the kernel WireGuard client is closed", e.getMessage());
        assertEquals("kernel", client.backendName());
    }
}
