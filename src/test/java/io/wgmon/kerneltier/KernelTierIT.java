package io.wgmon.kerneltier;

import io.wgmon.testbed.MonitorProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel tier proper: {@link KernelTierHarness} runs inside a qemu VM on a Debian kernel with
 * the real WireGuard module, against kernel interfaces and the packaged wgmon.
 */
class KernelTierIT {
    private static KernelVm vm;

    @BeforeAll
    static void prepareVm() {
        vm = KernelVm.preparedForTests("qemu-system-x86_64", "ip", "wg", "nft", "ping");
    }

    @Test
    void kernelBackendAndWgmonAgainstRealKernelWireGuard() throws Exception {
        Path out = Path.of("target", "kernel-vm", "tier").toAbsolutePath();
        KernelVm.Result result = vm.runJava(out, KernelVm.testClasspath(),
                List.of("-Dwgmon.app.jar=" + MonitorProcess.jar().toAbsolutePath(),
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"),
                KernelTierHarness.class.getName(), List.of());
        System.out.println(result.output());
        assertEquals(0, result.exitCode(), () -> "kernel tier failed (exit " + result.exitCode() + "):\n"
                + result.output() + "\n---- console ----\n"
                + result.console().substring(Math.max(0, result.console().length() - 3000)));
        assertTrue(result.output().contains("PASS kernel scan matches `wg show dump`"), result.output());
        assertTrue(result.output().contains("PASS peer.connected by webhook"), result.output());
        assertTrue(result.output().contains("PASS peer.disconnected (idle) by webhook"), result.output());
        assertTrue(result.output().contains("KERNEL TIER: ALL PASSED"), result.output());
    }
}
