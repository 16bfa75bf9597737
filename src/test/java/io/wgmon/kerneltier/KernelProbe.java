package io.wgmon.kerneltier;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs inside the kernel-tier VM from the project's test class path: proves the project's classes
 * run there, on the VM's kernel, with the WireGuard module loaded. Prints one line
 * {@code kernel=<os.version> wireguard=<module version> marker=<-Dkernel.probe.marker>}.
 */
public final class KernelProbe {
    private KernelProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path version = Path.of("/sys/module/wireguard/version");
        String wireguard = Files.exists(version) ? Files.readString(version).strip() : "absent";
        System.out.println("kernel=" + System.getProperty("os.version") + " wireguard=" + wireguard
                + " marker=" + System.getProperty("kernel.probe.marker"));
    }
}
