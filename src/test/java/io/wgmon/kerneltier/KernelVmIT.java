package io.wgmon.kerneltier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel tier: real kernel WireGuard (not wireguard-go) in a throwaway qemu VM, see
 * scripts/kernel-vm. Software emulation, so each test costs a VM boot (about 15-30 s).
 */
class KernelVmIT {
    private static KernelVm vm;

    @BeforeAll
    static void prepareVm() {
        vm = KernelVm.preparedForTests("qemu-system-x86_64", "ip", "wg", "nft", "ping", "tcpdump");
    }

    @Test
    void kernelWireGuardPeersInTwoNamespacesHandshake() throws IOException {
        Path out = freshOutDir("smoke");
        KernelVm.Result result = vm.run(out, Map.of(), List.of("scripts/kernel-vm/smoke.sh"));
        assertEquals(0, result.exitCode(), () -> failure(result));

        List<String[]> peers = Files.readAllLines(out.resolve("wg-dump.txt")).stream()
                .map(line -> line.split("\t"))
                .filter(fields -> fields.length == 9)
                .toList();
        assertEquals(1, peers.size(), () -> "one peer on the server's wg0:\n" + result.output());
        long latestHandshake = Long.parseLong(peers.get(0)[5]);
        assertTrue(latestHandshake > 0, () -> "latest handshake is set:\n" + result.output());

        long logged = Files.readAllLines(out.resolve("nflog.txt")).stream()
                .filter(line -> line.contains("192.0.2.1.3000: UDP"))
                .count();
        assertTrue(logged >= 1, () -> "the nft log rule fed NFLOG group 5:\n" + result.output());
        assertTrue(Files.readString(out.resolve("known4.txt")).matches("(?s).*192\\.0\\.2\\.2 \\. \\d+ timeout \\S+ "
                        + "expires [23]m.*"),
                () -> "kernel WireGuard's response to the new handshake passed the output hook and refreshed the known "
                        + "endpoint added for 5 s to the set's 180 s:\n" + result.output());
    }


    private static Path freshOutDir(String name) throws IOException {
        Path dir = Path.of("target", "kernel-vm", name).toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    private static String failure(KernelVm.Result result) {
        String console = result.console();
        return "exit " + result.exitCode() + (result.timedOut() ? " (timed out)" : "")
                + "\n---- output ----\n" + result.output()
                + "\n---- VM console, last part ----\n" + console.substring(Math.max(0, console.length() - 4000));
    }
}
