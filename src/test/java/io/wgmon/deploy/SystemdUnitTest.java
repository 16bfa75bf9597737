package io.wgmon.deploy;

import io.wgmon.testbed.LivePrerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/wgmon.service, the bare-metal unit, as systemd reads it: `systemd-analyze verify` finds no
 * problem (with ExecStart pointed at the launcher of this checkout, since verify checks that the
 * program exists), it holds the confinement issue 19 asks for, and `systemd-analyze security` rates
 * it. It is not started here: on these build machines PID 1 is not systemd ("System has not been
 * booted with systemd as init system (PID 1)" from systemd-run) and systemd-nspawn is not available,
 * so no service manager could run it.
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("deploy/wgmon.service");
    private static final double MAX_EXPOSURE = 3.0;

    @TempDir
    Path work;

    @BeforeAll
    static void systemdAnalyze() {
        LivePrerequisites.require("systemd-analyze");
    }

    @Test
    void systemdAnalyzeVerifyFindsNothing() throws Exception {
        Result verify = run("systemd-analyze", "verify", runnableCopy().toString());
        assertEquals(0, verify.exit(), verify.output());
        assertEquals("", verify.output().strip(), "systemd-analyze verify printed problems");
    }

    @Test
    void itRunsAsADedicatedUserWithOnlyNetAdminConfined() throws IOException {
        Map<String, List<String>> service = directives();
        assertEquals(List.of("wgmon"), service.get("User"));
        assertEquals(List.of("CAP_NET_ADMIN"), service.get("AmbientCapabilities"));
        assertEquals(List.of("CAP_NET_ADMIN"), service.get("CapabilityBoundingSet"));
        assertEquals(List.of("yes"), service.get("NoNewPrivileges"));
        assertEquals(List.of("strict"), service.get("ProtectSystem"));
        assertEquals(List.of("yes"), service.get("ProtectHome"));
        assertEquals(List.of("yes"), service.get("PrivateTmp"));
        assertEquals(List.of("AF_NETLINK AF_UNIX AF_INET AF_INET6 AF_PACKET"), service.get("RestrictAddressFamilies"));
        assertEquals(List.of("/opt/wgmon/wgmon"), service.get("ExecStart"), "the launcher of the package");
        List<String> stateDirectories = List.of(service.get("StateDirectory").get(0).split(" "));
        assertTrue(stateDirectories.contains("wgmon"), "StateDirectory=wgmon");
        assertEquals(List.of("0700"), service.get("StateDirectoryMode"));
        // the spool and the class-data archive live in the state directory, the only writable place
        for (String[] env : new String[][]{{"WGMON_WEBHOOK_SPOOL_DIR", "wgmon/spool"}, {"WGMON_CDS_DIR", "wgmon/cds"}}) {
            assertTrue(service.get("Environment").contains(env[0] + "=%S/" + env[1]), env[0] + ": " + service.get("Environment"));
            assertTrue(stateDirectories.contains(env[1]), env[1] + " is a state directory");
        }
    }

    @Test
    void systemdAnalyzeSecurityRatesItOk() throws Exception {
        Result security = run("systemd-analyze", "security", "--offline=true", "--no-pager", runnableCopy().toString());
        Matcher level = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+) (\\S+)").matcher(security.output());
        assertTrue(level.find(), security.output());
        System.out.println("wgmon.service: systemd-analyze security exposure " + level.group(1) + " " + level.group(2));
        assertTrue(Double.parseDouble(level.group(1)) <= MAX_EXPOSURE, security.output());
    }

    /** The unit with ExecStart on this checkout's launcher: verify checks that the program exists. */
    private Path runnableCopy() throws IOException {
        Path copy = work.resolve("wgmon.service");
        String launcher = Path.of("src/main/bin/wgmon").toAbsolutePath().toString();
        Files.writeString(copy, Files.readString(UNIT).replace("ExecStart=/opt/wgmon/wgmon", "ExecStart=" + launcher));
        return copy;
    }

    private static Map<String, List<String>> directives() throws IOException {
        Map<String, List<String>> directives = new LinkedHashMap<>();
        boolean inService = false;
        for (String line : Files.readAllLines(UNIT)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[")) {
                inService = trimmed.equals("[Service]");
            } else if (inService && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
                int equals = trimmed.indexOf('=');
                directives.computeIfAbsent(trimmed.substring(0, equals), key -> new ArrayList<>()).add(trimmed.substring(equals + 1));
            }
        }
        return directives;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        return new Result(process.exitValue(), output);
    }
}
