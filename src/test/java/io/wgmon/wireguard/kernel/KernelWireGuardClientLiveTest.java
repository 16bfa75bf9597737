package io.wgmon.wireguard.kernel;

import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.testbed.LivePrerequisites;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernel backend against real kernel WireGuard ({@link KernelClientLiveCheck}). Runs where
 * the wireguard module can be loaded, which is the kernel-tier VM; the build machines have no
 * such module, so there it is skipped (the host-side checks are in KernelWireGuardClientHostTest).
 */
class KernelWireGuardClientLiveTest {

    @Test
    void readsKernelWireGuardAsWgShowDoes() throws Exception {
        LivePrerequisites.require("ip", "wg", "ping", "rmmod", "genl");
        try (KernelWireGuardClient probe = new KernelWireGuardClient(Duration.ofSeconds(10), ReplyLimits.forThisHeap())) {
            assumeTrue(probe.moduleLoaded(), "no wireguard kernel module here: the kernel tier runs this in its VM");
        }
        KernelClientLiveCheck.run(System.out);
    }
}
