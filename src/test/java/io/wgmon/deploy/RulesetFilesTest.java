package io.wgmon.deploy;

import io.wgmon.testbed.Shell;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The firewall ruleset is written once, in scripts/lib/wgmon-rule.sh: deploy/wgmon.nft and the README's copy are
 * what it prints for port 51820, NFLOG group 1 and 180 s.
 */
class RulesetFilesTest {
    private static String printed() {
        return Shell.run(List.of("bash", "scripts/lib/wgmon-rule.sh", "51820", "1", "180s"));
    }

    @Test
    void deployWgmonNftIsWhatTheScriptPrints() throws Exception {
        assertEquals(printed(), Files.readString(Path.of("deploy/wgmon.nft")),
                "regenerate with scripts/lib/wgmon-rule.sh 51820 1 180s > deploy/wgmon.nft");
    }

    @Test
    void theReadmeShowsTheSameRuleset() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("### The firewall rule\n");
        assertTrue(section >= 0, "README has no section \"The firewall rule\"");
        int start = readme.indexOf("```nft\n", section) + "```nft\n".length();
        int end = readme.indexOf("```", start);
        assertEquals(printed(), readme.substring(start, end));
    }

    @Test
    void theKnownEndpointsTimeoutIsTheOneAsked() {
        String ruleset = Shell.run(List.of("bash", "scripts/lib/wgmon-rule.sh", "3000", "7", "42s"));
        assertTrue(ruleset.contains("set known4 { type ipv4_addr . inet_service; flags timeout; timeout 42s;"), ruleset);
        assertTrue(ruleset.contains("set known6 { type ipv6_addr . inet_service; flags timeout; timeout 42s;"), ruleset);
        assertTrue(ruleset.contains("log group 7"), ruleset);
        assertTrue(ruleset.contains("udp dport 3000 ip saddr . udp sport @known4 update @seen4 { ip saddr . udp sport } return"),
                ruleset);
    }

    @Test
    void thePacketTimesOutliveTheKnownEndpointsTwice() {
        String ruleset = Shell.run(List.of("bash", "scripts/lib/wgmon-rule.sh", "3000", "7", "42s"));
        for (String set : List.of("seen4", "sent4")) {
            assertTrue(ruleset.contains("set " + set + " { type ipv4_addr . inet_service; flags timeout; timeout 84s;"), ruleset);
        }
        for (String set : List.of("seen6", "sent6")) {
            assertTrue(ruleset.contains("set " + set + " { type ipv6_addr . inet_service; flags timeout; timeout 84s;"), ruleset);
        }
        assertTrue(ruleset.contains("ip daddr . udp dport @seen4 update @sent4 { ip daddr . udp dport }"), ruleset);
    }

    @Test
    void aTimeoutInNftsOtherUnitsIsDoubledInSeconds() {
        String ruleset = Shell.run(List.of("bash", "scripts/lib/wgmon-rule.sh", "3000", "7", "1h30m"));
        assertTrue(ruleset.contains("set known4 { type ipv4_addr . inet_service; flags timeout; timeout 1h30m;"), ruleset);
        assertTrue(ruleset.contains("set seen4 { type ipv4_addr . inet_service; flags timeout; timeout 10800s;"), ruleset);
    }

    @Test
    void aTimeoutThatIsNotAnNftTimeIsRefusedInOneLine() {
        for (String timeout : List.of("abc", "0s", "2m30", "500ms")) {
            ProcessResult result = run("bash", "scripts/lib/wgmon-rule.sh", "3000", "7", timeout);
            assertEquals(2, result.exit(), timeout);
            assertEquals("wgmon-rule.sh: TIMEOUT is an nft time in whole seconds or more, e.g. 180s, 3m or 1h30m, not '"
                    + timeout + "'", result.stderr().strip());
        }
    }

    private record ProcessResult(int exit, String stderr) {
    }

    private static ProcessResult run(String... argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String stderr = new String(process.getErrorStream().readAllBytes());
            return new ProcessResult(process.waitFor(), stderr);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
