package io.wgmon;

import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Testbed;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator sees when start-up cannot succeed: one clear line and a non-zero exit. */
class StartupErrorsIT {

    private static String failedStart(String namespace, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile("wgmon-startup-", ".log");
        try (MonitorProcess monitor = MonitorProcess.start(namespace, env, log)) {
            assertNotEquals(0, monitor.awaitExit(Duration.ofSeconds(60)), "wgmon should refuse to start");
            String output = monitor.log();
            assertFalse(output.lines().anyMatch(line -> line.startsWith("\tat ")), "stack trace printed:\n" + output);
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void anOutOfRangeGroupIsOneLineNamingKeyValueAndRange() throws Exception {
        LivePrerequisites.require("ip");
        try (Testbed testbed = Testbed.create(3000)) {
            String output = failedStart(testbed.serverNs(), Map.of("WGMON_NFLOG_GROUP", "70000"));
            assertTrue(output.contains("Invalid configuration: wgmon.nflog.group=70000 is not allowed: use 0..65535"),
                    output);
        }
    }

    @Test
    void anUnknownMonitorNamesTheAllowedValues() throws Exception {
        LivePrerequisites.require("ip");
        try (Testbed testbed = Testbed.create(3000)) {
            String output = failedStart(testbed.serverNs(), Map.of("monitor", "pcap"));
            assertTrue(output.contains("wgmon.monitor") && output.contains("\"pcap\"")
                    && output.contains("allowed values: nflog,bpf"), output);
        }
    }

    @Test
    void aNamesFileThatCannotBeReadIsOneLineNamingKeyAndFile() throws Exception {
        LivePrerequisites.require("ip");
        try (Testbed testbed = Testbed.create(3000)) {
            Path missing = testbed.workDir().resolve("no-such-names.conf");
            String output = failedStart(testbed.serverNs(), Map.of("WGMON_PEERS_NAMES", missing.toString()));
            assertTrue(output.contains("wgmon.peers.names=" + missing + " cannot be read: java.nio.file.NoSuchFileException"),
                    output);
        }
    }

    @Test
    void aGroupHeldByAnotherProcessIsOneLineNamingTheGroup() throws Exception {
        LivePrerequisites.require("ip", "wg", "wireguard-go");
        Path firstLog = Files.createTempFile("wgmon-first-", ".log");
        try (Testbed testbed = Testbed.create(3000)) {
            Map<String, String> env = Map.of("WGMON_NFLOG_GROUP", "42",
                    "WGMON_WIREGUARD_INTERFACES", testbed.serverInterface());
            try (MonitorProcess first = MonitorProcess.start(testbed.serverNs(), env, firstLog)) {
                first.awaitReady(Duration.ofSeconds(60));
                Map<String, String> second = new java.util.HashMap<>(env);
                second.put("QUARKUS_HTTP_PORT", "18081");
                second.put("QUARKUS_MANAGEMENT_PORT", "18091");
                String output = failedStart(testbed.serverNs(), second);
                assertTrue(output.contains("NFLOG group 42 is held by another process")
                        && output.contains("wgmon.nflog.group"), output);
            }
        } finally {
            Files.deleteIfExists(firstLog);
        }
    }
}
