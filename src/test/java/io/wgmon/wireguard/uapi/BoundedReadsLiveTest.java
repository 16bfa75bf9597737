package io.wgmon.wireguard.uapi;

import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.Testbed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile socket in a UAPI directory streams an endless valid peer list next to a real
 * wireguard-go interface. In a JVM with a 64 MiB heap the scan gives a TOO_LARGE failure for the
 * hostile one within the heap's peer budget and reads the real one; with the old limits (64 MiB
 * of bytes, peers not counted) the same JVM runs out of heap, which is what the budget prevents.
 */
class BoundedReadsLiveTest {
    private static final String HEAP = "-Xmx64m";

    @TempDir
    Path hostileDir;

    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("ip", "wg", "wireguard-go");
    }

    @Test
    void anEndlessPeerListFailsWithinTheHeapBudgetAndTheRealInterfaceIsStillRead() throws Exception {
        try (Testbed testbed = Testbed.create(3400)) {
            testbed.addClient();
            Child child = runChild(testbed, "heap");
            System.out.println("BOUNDED: " + child.output().replace("\n", "\n BOUNDED: "));

            assertEquals(0, child.exitCode(), child.output());
            Matcher failure = Pattern.compile("failure wgevil \\| wgevil: UAPI reply on "
                    + Pattern.quote(hostileDir.resolve("wgevil.sock").toString()) + " has more than (\\d+) peers").matcher(child.output());
            assertTrue(failure.find(), child.output());
            // the JVM reports a little less than -Xmx as its maximum heap: 16,384 peers for 64 MiB at most
            int limit = Integer.parseInt(failure.group(1));
            assertTrue(limit > 14000 && limit <= 16384, "peer limit " + limit);
            assertTrue(child.output().contains("device " + testbed.serverInterface() + " peers 1"), child.output());
        }
    }

    @Test
    void withoutThePeerBudgetTheSameReadRunsTheHeapOut() throws Exception {
        try (Testbed testbed = Testbed.create(3401)) {
            Child child = runChild(testbed, "unbounded");
            System.out.println("UNBOUNDED: exit " + child.exitCode() + ", last lines: "
                    + child.output().lines().filter(l -> l.contains("OutOfMemoryError") || l.startsWith("limits"))
                    .toList());

            assertTrue(child.exitCode() != 0 && child.output().contains("OutOfMemoryError"), child.output());
        }
    }

    private record Child(int exitCode, String output) {
    }

    private Child runChild(Testbed testbed, String limits) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), HEAP, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), HostileUapiScanMain.class.getName(),
                hostileDir.toString(), "wgevil", testbed.uapiDir().toString(), testbed.serverInterface(), limits))
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child JVM did not end: " + new String(output, StandardCharsets.UTF_8));
        }
        return new Child(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
