package io.wgmon.deploy;

import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.Shell;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image's capability hand-over against the real kernel: the entrypoint script and a setpriv
 * copy given the file capabilities the Dockerfile sets, started the way a runtime starts a
 * non-root container (uid 10001, a bounding set of the granted capabilities, nothing ambient),
 * with a stand-in launcher (the package's bin/wgmon, which execs java) that prints the
 * capabilities it got.
 */
class EntrypointCapabilitiesLiveTest {
    private static final long NET_ADMIN = 1L << 12;
    private static final long NET_RAW = 1L << 13;
    private static final Pattern SETCAP = Pattern.compile("setcap (\\S+) /opt/wgmon/bin/wgmon-setcaps");

    @TempDir
    Path bin;

    @BeforeAll
    static void prerequisites() {
        ContainerTools.installIfMissing("setcap");
        LivePrerequisites.require("setpriv", "setcap");
    }

    @BeforeEach
    void installLikeTheImage() throws IOException {
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(Path.of("src/main/docker/wgmon-entrypoint.sh"), bin.resolve("wgmon-entrypoint"));
        Files.copy(Shell.which("setpriv"), bin.resolve("wgmon-setcaps"), StandardCopyOption.COPY_ATTRIBUTES);
        Shell.run(List.of("setcap", fileCapabilitiesOfTheImage(), bin.resolve("wgmon-setcaps").toString()));
        Path launcher = bin.resolve("wgmon");
        Files.writeString(launcher, "#!/bin/sh\necho \"wgmon $*\"\ngrep -E '^(CapEff|CapAmb):' /proc/self/status\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void nflogGetsNetAdminOnly() throws Exception {
        Started java = start(Map.of(), "-all,+net_admin");
        assertEquals(NET_ADMIN, java.effective());
        assertEquals(NET_ADMIN, java.ambient(), "ambient, so it survives the exec of the JVM");
    }

    @Test
    void bpfGetsNetAdminAndNetRaw() throws Exception {
        assertEquals(NET_ADMIN | NET_RAW, start(Map.of("WGMON_MONITOR", "bpf"), "-all,+net_admin,+net_raw").effective());
        assertEquals(NET_ADMIN | NET_RAW, start(Map.of("monitor", "bpf"), "-all,+net_admin,+net_raw").effective(),
                "the original's lower-case variable");
    }

    @Test
    void aCapabilityTheModeDoesNotNeedIsLeftBehindEvenWhenGranted() throws Exception {
        assertEquals(NET_ADMIN, start(Map.of("WGMON_MONITOR", "nflog"), "-all,+net_admin,+net_raw").effective());
    }

    @Test
    void aCapabilityTheRuntimeDidNotGrantStaysMissingAndJavaStillStarts() throws Exception {
        Started java = start(Map.of("WGMON_MONITOR", "bpf"), "-all,+net_admin");
        assertEquals(NET_ADMIN, java.effective(), "wgmon names the missing CAP_NET_RAW itself");
        assertEquals(0, start(Map.of(), "-all").effective(), "nothing granted: java runs without");
    }

    @Test
    void capabilitiesAlreadyAmbientAreUsedAsTheyAre() throws Exception {
        // podman's way: --cap-add lands in a non-root user's ambient set
        Started java = start(Map.of(), "-all,+net_admin", "--inh-caps", "+net_admin", "--ambient-caps", "+net_admin");
        assertEquals(NET_ADMIN, java.effective());
    }

    @Test
    void noNewPrivilegesIsExplainedInsteadOfFailingObscurely() throws Exception {
        Started java = start(Map.of(), "-all,+net_admin", "--no-new-privs");
        assertEquals(0, java.effective());
        assertTrue(java.output().contains("no-new-privileges is set") && java.output().contains("allowPrivilegeEscalation"),
                java.output());
    }

    @Test
    void theEntrypointHandsItsArgumentsToTheLauncher() throws Exception {
        Started java = start(Map.of(), "-all,+net_admin");
        assertTrue(java.output().startsWith("wgmon \n"), java.output());
    }

    private record Started(String output) {
        long effective() {
            return mask("CapEff");
        }

        long ambient() {
            return mask("CapAmb");
        }

        private long mask(String set) {
            Matcher matcher = Pattern.compile(set + ":\\s*([0-9a-f]+)").matcher(output);
            assertTrue(matcher.find(), "java did not run:\n" + output);
            return Long.parseUnsignedLong(matcher.group(1), 16);
        }
    }

    /** Runs the entrypoint as uid 10001 with the given bounding set, as a container runtime would. */
    private Started start(Map<String, String> env, String boundingSet, String... setprivOptions) throws Exception {
        List<String> argv = new ArrayList<>(List.of("env", "-i", "PATH=" + bin + ":/usr/bin:/bin",
                "WGMON_LAUNCHER=" + bin.resolve("wgmon")));
        env.forEach((name, value) -> argv.add(name + "=" + value));
        argv.addAll(List.of("setpriv", "--reuid", "10001", "--regid", "10001", "--clear-groups", "--bounding-set", boundingSet));
        argv.addAll(List.of(setprivOptions));
        argv.addAll(List.of("--", bin.resolve("wgmon-entrypoint").toString()));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return new Started(output);
    }

    private static String fileCapabilitiesOfTheImage() {
        return Dockerfile.parse(Dockerfile.JVM).last().all("RUN").stream()
                .map(run -> SETCAP.matcher(run.arguments())).filter(Matcher::find).map(matcher -> matcher.group(1))
                .findFirst().orElseThrow(() -> new AssertionError("the Dockerfile sets no file capabilities on wgmon-setcaps"));
    }
}
