package io.wgmon;

import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.Testbed;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;


import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void aSpoolDirectoryThatCannotBeCreatedIsOneLineWithTheReason() throws Exception {
        LivePrerequisites.require("ip");
        try (Testbed testbed = Testbed.create(3000)) {
            // procfs refuses mkdir with ENOENT; the store's deprecated key is named as it was given
            String dir = "/proc/wgmon-" + testbed.id() + "/spool";
            String output = failedStart(testbed.serverNs(), Map.of("WGMON_NFLOG_GROUP", "43",
                    "WGMON_WEBHOOK_URL", "http://127.0.0.1:9/hook", "WGMON_WEBHOOK_SPOOL_DIR", dir));
            assertTrue(output.lines().anyMatch(line -> line.contains("wgmon.webhook.spool-dir")
                    && line.contains("cannot open the store in " + dir)
                    && line.contains("NoSuchFileException")), output);
        }
    }

    @Test
    void aSpoolDirectoryInUseByAnotherWgmonIsOneLine() throws Exception {
        LivePrerequisites.require("ip", "wg", "wireguard-go");
        Path spool = Files.createTempDirectory("wgmon-locked-spool-");
        Path firstLog = Files.createTempFile("wgmon-first-", ".log");
        try (Testbed testbed = Testbed.create(3000)) {
            Map<String, String> env = Map.of("WGMON_NFLOG_GROUP", "44",
                    "WGMON_WIREGUARD_INTERFACES", testbed.serverInterface(),
                    "WGMON_WEBHOOK_URL", "http://127.0.0.1:9/hook", "WGMON_STORE_DIR", spool.toString());
            try (MonitorProcess first = MonitorProcess.start(testbed.serverNs(), env, firstLog)) {
                first.awaitReady(Duration.ofSeconds(60));
                Map<String, String> second = new java.util.HashMap<>(env);
                second.put("WGMON_NFLOG_GROUP", "45");
                second.put("QUARKUS_HTTP_PORT", "18081");
                second.put("QUARKUS_MANAGEMENT_PORT", "18091");
                String output = failedStart(testbed.serverNs(), second);
                assertTrue(output.lines().anyMatch(line -> line.contains("wgmon.store.dir")
                        && line.contains("the store directory " + spool + " is in use by another wgmon")), output);
            }
        } finally {
            Files.deleteIfExists(firstLog);
            try (var files = Files.walk(spool)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * A 10 MB line in a configuration file, started as shipped (the launcher): refused before java
     * starts, since reading it would run the 64 MiB heap out inside SmallRye's file reader.
     */
    @Test
    void aTenMegabyteValueInAFileIsOneShortLineNamingTheKey() throws Exception {
        LivePrerequisites.require("ip");
        Path properties = Files.createTempFile("wgmon-big-", ".properties");
        Path log = Files.createTempFile("wgmon-startup-", ".log");
        try (Testbed testbed = Testbed.create(3000)) {
            Files.writeString(properties, "wgmon.tracking.idle-timeout=" + "1".repeat(10 * 1024 * 1024) + "\n");
            ProcessBuilder launcher = new ProcessBuilder("ip", "netns", "exec", testbed.serverNs(),
                    Path.of("target/quarkus-app/wgmon").toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            launcher.environment().put("QUARKUS_CONFIG_LOCATIONS", properties.toString());
            Process process = launcher.start();
            assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the launcher did not exit");
            String output = Files.readString(log);
            assertNotEquals(0, process.exitValue(), output);
            assertEquals(List.of("Invalid configuration: " + properties + " line 1 (wgmon.tracking.idle-timeout) has "
                    + (10 * 1024 * 1024 + "wgmon.tracking.idle-timeout=".length())
                    + " characters, which is not allowed: at most 8192"), output.lines().toList());
        } finally {
            Files.deleteIfExists(properties);
            Files.deleteIfExists(log);
        }
    }

    /**
     * A receiver URL that does not parse, its credential in the path and the query (as Slack's and
     * Gotify's are): the key and the reason, scheme and host at most, never the secrets.
     */
    @Test
    void aReceiverUrlThatIsNotAUrlIsOneLineWithoutItsPathOrQuery() throws Exception {
        LivePrerequisites.require("ip");
        String url = "https://hooks.slack.com/services/T000/B000/SUPERSECRETPATHTOKEN?token=QUERYSECRET|x";
        try (Testbed testbed = Testbed.create(3000)) {
            for (Map<String, String> env : List.of(Map.of("WGMON_WEBHOOK_URL", url),
                    Map.of("webhook", url))) {
                String output = failedStart(testbed.serverNs(), env);
                assertFalse(output.contains("SUPERSECRETPATHTOKEN") || output.contains("QUERYSECRET"), output);
                assertTrue(output.lines().anyMatch(line -> line.contains("Invalid configuration: wgmon.webhook.url "
                        + "has a value starting 'https://hooks.slack.com' that is not a URL: "
                        + "Illegal character in query")), output);
            }
            String token = "TOKENSECRET".repeat(1000);
            String output = failedStart(testbed.serverNs(), Map.of("WGMON_API_TOKEN", token));
            assertFalse(output.contains("TOKENSECRET"), output);
            assertTrue(output.contains("wgmon.api.token has a value of 11000 characters, which is not allowed: at "
                    + "most 8192 (a secret: not quoted)"), output);
        }
    }

    /** A value longer than 8,192 characters that does reach wgmon (the environment carries up to 128 KiB). */
    @Test
    void anOverlongValueIsOneShortLineNamingTheKey() throws Exception {
        LivePrerequisites.require("ip");
        try (Testbed testbed = Testbed.create(3000)) {
            String output = failedStart(testbed.serverNs(), Map.of("WGMON_TRACKING_IDLE_TIMEOUT", "1".repeat(100_000)));
            assertTrue(output.lines().anyMatch(line -> line.contains("wgmon.tracking.idle-timeout has a value of "
                    + 100_000 + " characters, which is not allowed: at most 8192")), output);
            assertTrue(output.lines().allMatch(line -> line.length() < 400), "a long line:\n" + output.substring(0,
                    Math.min(output.length(), 2000)));
            assertFalse(output.contains("OutOfMemoryError"), output.substring(0, Math.min(output.length(), 2000)));
        }
    }

    @Test
    void aNamedInterfaceThatDoesNotExistIsAWarningAndShownInReadiness() throws Exception {
        LivePrerequisites.require("ip");
        Path log = Files.createTempFile("wgmon-nosuch-", ".log");
        try (Testbed testbed = Testbed.create(3000);
             MonitorProcess monitor = MonitorProcess.start(testbed.serverNs(),
                     Map.of("WGMON_NFLOG_GROUP", "46", "WGMON_WIREGUARD_INTERFACES", "nosuch0"), log)) {
            monitor.awaitReady(Duration.ofSeconds(60));
            MonitorProcess.Response ready = monitor.getManagement("/q/health/ready");
            assertTrue(ready.body().contains("\"missingInterfaces\"") && ready.body().contains("nosuch0"), ready.body());
            assertTrue(monitor.log().lines().anyMatch(line -> line.contains(" WARN ")
                    && line.contains("wgmon.wireguard.interfaces names nosuch0")), monitor.log());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void aCaFileWithoutCertificatesIsOneLineNamingTheKey() throws Exception {
        LivePrerequisites.require("ip");
        Path pem = Files.writeString(Files.createTempFile("wgmon-ca-", ".pem"), "not a certificate\n");
        try (Testbed testbed = Testbed.create(3000)) {
            String output = failedStart(testbed.serverNs(), Map.of("WGMON_NFLOG_GROUP", "47",
                    "WGMON_WEBHOOK_URL", "https://127.0.0.1:9/hook", "WGMON_WEBHOOK_TLS_CA_FILE", pem.toString()));
            assertTrue(output.lines().anyMatch(line -> line.contains("wgmon.webhook.tls.ca-file=" + pem + " cannot be used")),
                    output);
        } finally {
            Files.deleteIfExists(pem);
        }
    }
}
