package io.wgmon.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.wgmon.deploy.YamlDocs.at;
import static io.wgmon.deploy.YamlDocs.list;
import static io.wgmon.deploy.YamlDocs.map;
import static io.wgmon.deploy.YamlDocs.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compose.yaml: the same pod as deploy/kube.yaml, in compose's words. */
class ComposeManifestTest {
    private final Map<String, Object> services = map(YamlDocs.documents(ManifestSettings.COMPOSE).get(0), "services");
    private final Map<String, Object> wgmon = map(services, "wgmon");
    private final Map<String, Object> kubePod = YamlDocs.ofKind(YamlDocs.documents(ManifestSettings.KUBE), "Pod");
    private final Map<String, Object> kubeMonitor = ManifestSettings.monitor(map(kubePod, "spec"));

    @Test
    void wgmonRunsInTheHostNetworkWithTheKubeFilesCapabilitiesAndUser() {
        assertEquals("host", wgmon.get("network_mode"));
        assertEquals(at(kubeMonitor, "securityContext", "capabilities", "add"), wgmon.get("cap_add"));
        assertEquals(List.of("ALL"), wgmon.get("cap_drop"));
        assertEquals(at(kubeMonitor, "securityContext", "runAsUser") + ":" + at(kubeMonitor, "securityContext", "runAsGroup"),
                wgmon.get("user"));
        assertEquals(true, wgmon.get("read_only"));
        assertFalse(wgmon.containsKey("privileged"));
        assertFalse(String.valueOf(wgmon.get("security_opt")).contains("no-new-privileges"),
                "no-new-privileges would keep the image's file capabilities from working");
    }

    @Test
    void theHostPathsAreTheKubeFiles() {
        List<Object> volumes = list(wgmon, "volumes");
        assertTrue(volumes.contains("/var/run/wireguard:/var/run/wireguard:ro"), volumes.toString());
        String spoolDir = ManifestSettings.compose().literalValues().get("WGMON_STORE_DIR");
        String kubeSpool = string(YamlDocs.named(list(kubePod, "spec", "volumes"), "spool"), "hostPath", "path");
        assertTrue(volumes.contains(kubeSpool + ":" + spoolDir), volumes.toString());
        assertTrue(list(services, "spool-owner", "volumes").contains(kubeSpool + ":" + spoolDir));
    }

    @Test
    void theHealthCheckIsTheImagesProbeAskingReadiness() {
        // the image has no curl; wgmon-probe reads the management port from QUARKUS_MANAGEMENT_PORT
        assertEquals(List.of("CMD", "/opt/wgmon/bin/wgmon-probe", "ready"), list(wgmon, "healthcheck", "test"));
    }

    @Test
    void wgmonStartsAfterTheSpoolIsItsAndWireGuardIsUp() {
        for (String service : List.of("spool-owner", "wg-quick")) {
            assertEquals("service_completed_successfully", string(wgmon, "depends_on", service, "condition"), service);
        }
        assertEquals(List.of("NET_ADMIN"), at(services, "wg-quick", "cap_add"));
        assertEquals(List.of("CHOWN"), at(services, "spool-owner", "cap_add"));
        assertEquals("wg-quick", string(services, "wg-quick", "build", "target"));
    }

    @Test
    void resourcesAreBounded() {
        assertEquals("256m", wgmon.get("mem_limit"));
        assertTrue(wgmon.containsKey("cpus"));
    }
}
