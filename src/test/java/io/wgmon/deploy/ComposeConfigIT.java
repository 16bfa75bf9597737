package io.wgmon.deploy;

import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.Shell;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.wgmon.deploy.YamlDocs.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * compose.yaml read by a compose implementation from Debian (docker-compose 1.29, whose {@code config}
 * validates the file against the Compose schema and prints it resolved, without a daemon). Running it
 * needs a Docker engine, which these machines do not have; the container tier runs the same image under
 * podman with deploy/kube.yaml.
 */
class ComposeConfigIT {

    @BeforeAll
    static void composeImplementation() {
        LivePrerequisites.require("docker-compose");
    }

    @Test
    void theShippedFileIsValidAndResolvesAsTheReadmeSays(@TempDir Path dir) throws IOException {
        String resolved = Shell.run(List.of("docker-compose", "-f", "compose.yaml", "config"));
        Path file = Files.writeString(dir.resolve("resolved.yaml"), resolved);
        Map<String, Object> services = map(YamlDocs.documents(file).get(0), "services");
        Map<String, Object> wgmon = map(services, "wgmon");
        assertEquals("host", wgmon.get("network_mode"));
        assertEquals(List.of("NET_ADMIN"), wgmon.get("cap_add"));
        assertEquals(List.of("ALL"), wgmon.get("cap_drop"));
        assertEquals("10001:10001", wgmon.get("user"));
        assertTrue(String.valueOf(map(wgmon, "healthcheck").get("test")).contains("wgmon-probe"), resolved);
        assertEquals("", map(wgmon, "environment").get("WGMON_WEBHOOK_SECRET"),
                "an unset secret resolves to empty, not to the literal ${...}");
        System.out.println("compose: docker-compose config accepted compose.yaml: services " + services.keySet());
    }

    @Test
    void aBrokenCopyIsRejected(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("compose.yaml");
        Files.writeString(broken, Files.readString(Path.of("compose.yaml"))
                .replace("network_mode: host", "network_mode: [host]"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Shell.run(List.of("docker-compose", "-f", broken.toString(), "config", "-q")));
        assertTrue(refused.getMessage().contains("network_mode"), refused.getMessage());
    }
}
