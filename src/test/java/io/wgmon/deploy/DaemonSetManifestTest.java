package io.wgmon.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.wgmon.deploy.YamlDocs.at;
import static io.wgmon.deploy.YamlDocs.has;
import static io.wgmon.deploy.YamlDocs.list;
import static io.wgmon.deploy.YamlDocs.map;
import static io.wgmon.deploy.YamlDocs.named;
import static io.wgmon.deploy.YamlDocs.ofKind;
import static io.wgmon.deploy.YamlDocs.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/daemonset.yaml as Kubernetes would read it. */
class DaemonSetManifestTest {
    private final List<Map<String, Object>> documents = YamlDocs.documents(ManifestSettings.DAEMON_SET);
    private final Map<String, Object> daemonSet = ofKind(documents, "DaemonSet");
    private final Map<String, Object> podSpec = map(daemonSet, "spec", "template", "spec");
    private final Map<String, Object> monitor = ManifestSettings.monitor(podSpec);

    @Test
    void everyObjectLivesInTheFilesNamespace() {
        String namespace = string(ofKind(documents, "Namespace"), "metadata", "name");
        assertEquals(Set.of("Namespace", "ServiceAccount", "ConfigMap", "Secret", "Service", "DaemonSet"),
                documents.stream().map(document -> (String) document.get("kind")).collect(Collectors.toSet()));
        documents.stream().filter(document -> !"Namespace".equals(document.get("kind")))
                .forEach(document -> assertEquals(namespace, string(document, "metadata", "namespace"), document.get("kind") + ""));
        assertEquals("apps/v1", daemonSet.get("apiVersion"));
    }

    @Test
    void theServiceAccountMountsNoToken() {
        Map<String, Object> account = ofKind(documents, "ServiceAccount");
        assertEquals(false, account.get("automountServiceAccountToken"));
        assertEquals(string(account, "metadata", "name"), podSpec.get("serviceAccountName"));
        assertEquals(false, podSpec.get("automountServiceAccountToken"));
    }

    @Test
    void itRunsInTheNodesNetworkOnEveryNode() {
        assertEquals(true, podSpec.get("hostNetwork"));
        assertEquals("ClusterFirstWithHostNet", podSpec.get("dnsPolicy"), "cluster DNS despite hostNetwork");
        assertTrue(list(podSpec, "tolerations").contains(Map.of("operator", "Exists")),
                "a toleration of every taint: " + podSpec.get("tolerations"));
        assertFalse(has(podSpec, "nodeSelector"), "no node selection");
        assertEquals(at(daemonSet, "spec", "selector", "matchLabels"), at(daemonSet, "spec", "template", "metadata", "labels"));
    }

    @Test
    void theMonitorHoldsOnlyNetAdminAsANonRootUser() {
        assertEquals(List.of("NET_ADMIN"), at(monitor, "securityContext", "capabilities", "add"));
        assertEquals(List.of("ALL"), at(monitor, "securityContext", "capabilities", "drop"));
        assertEquals(true, at(monitor, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(true, at(podSpec, "securityContext", "runAsNonRoot"));
        assertEquals(10001, at(podSpec, "securityContext", "runAsUser"));
        assertFalse(has(monitor, "securityContext", "runAsUser"), "the pod's user, not an override");
        // no-new-privileges would keep the image's file capabilities from working
        assertNotEquals(false, map(monitor, "securityContext").get("allowPrivilegeEscalation"));
        assertFalse(has(monitor, "securityContext", "privileged"));
    }

    @Test
    void theSecurityContextIsTheOneOfTheKubeFile() {
        Map<String, Object> kubeMonitor = ManifestSettings.monitor(
                map(ofKind(YamlDocs.documents(ManifestSettings.KUBE), "Pod"), "spec"));
        assertEquals(at(kubeMonitor, "securityContext", "capabilities"), at(monitor, "securityContext", "capabilities"));
        assertEquals(at(kubeMonitor, "securityContext", "runAsUser"), at(podSpec, "securityContext", "runAsUser"));
        assertEquals(at(kubeMonitor, "securityContext", "readOnlyRootFilesystem"), at(monitor, "securityContext", "readOnlyRootFilesystem"));
    }

    @Test
    void probesAreExecProbesOfTheImageAndNoPortIsAHostPort() {
        Map<String, String> settings = ManifestSettings.daemonSet().literalValues();
        Map<String, Object> api = named(list(monitor, "ports"), "api");
        Map<String, Object> management = named(list(monitor, "ports"), "management");
        for (Map<String, Object> port : List.of(api, management)) {
            assertFalse(port.containsKey("hostPort"), "hostPort-free: " + port);
        }
        assertEquals(Integer.parseInt(settings.get("QUARKUS_HTTP_PORT")), api.get("containerPort"), "the API's port");
        int managementPort = Integer.parseInt(settings.get("QUARKUS_MANAGEMENT_PORT"));
        assertEquals(managementPort, management.get("containerPort"), "health and metrics");
        // exec probes: the management port listens on loopback, where the kubelet's httpGet never asks
        assertEquals(List.of("/opt/wgmon/bin/wgmon-probe", "started"), at(monitor, "startupProbe", "exec", "command"));
        assertEquals(List.of("/opt/wgmon/bin/wgmon-probe", "live"), at(monitor, "livenessProbe", "exec", "command"));
        assertEquals(List.of("/opt/wgmon/bin/wgmon-probe", "ready"), at(monitor, "readinessProbe", "exec", "command"));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertFalse(has(monitor, probe, "httpGet"), probe);
        }
        Map<String, Object> service = ofKind(documents, "Service");
        assertEquals("management", string(service, "spec", "ports", 0, "targetPort"), "/q/metrics is there");
        assertEquals(at(daemonSet, "spec", "selector", "matchLabels"), at(service, "spec", "selector"));
        assertEquals(String.valueOf(managementPort),
                string(daemonSet, "spec", "template", "metadata", "annotations", "prometheus.io/port"));
    }

    @Test
    void theApiTokenComesFromASecretOfItsOwn() {
        Map<String, Object> reference = map(named(list(monitor, "env"), "WGMON_API_TOKEN"), "valueFrom", "secretKeyRef");
        Map<String, Object> secret = documents.stream()
                .filter(document -> "Secret".equals(document.get("kind")))
                .filter(document -> reference.get("name").equals(string(document, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no Secret " + reference.get("name")));
        assertTrue(map(secret, "stringData").containsKey(string(reference, "key")), "the key exists in the Secret");
        assertEquals(true, reference.get("optional"), "without it wgmon answers loopback only");
    }

    @Test
    void resourcesHaveRequestsAndLimits() {
        for (String kind : List.of("requests", "limits")) {
            assertTrue(has(monitor, "resources", kind, "cpu"), kind);
            assertTrue(has(monitor, "resources", kind, "memory"), kind);
        }
    }

    @Test
    void theWebhookSecretComesFromTheSecret() {
        Map<String, Object> secret = ofKind(documents, "Secret");
        Map<String, Object> reference = map(named(list(monitor, "env"), "WGMON_WEBHOOK_SECRET"), "valueFrom", "secretKeyRef");
        assertEquals(string(secret, "metadata", "name"), reference.get("name"));
        assertTrue(map(secret, "stringData").containsKey(string(reference, "key")), "the key exists in the Secret");
    }

    @Test
    void wireguardSocketsAndTheSpoolAreHostPaths() {
        Map<String, Object> wireguard = named(list(monitor, "volumeMounts"), "wireguard-run");
        assertEquals("/var/run/wireguard", wireguard.get("mountPath"));
        assertEquals(true, wireguard.get("readOnly"));
        assertEquals("/var/run/wireguard", string(named(list(podSpec, "volumes"), "wireguard-run"), "hostPath", "path"));
        String spoolDir = ManifestSettings.daemonSet().literalValues().get("WGMON_STORE_DIR");
        assertEquals(spoolDir, string(named(list(monitor, "volumeMounts"), "spool"), "mountPath"));
        assertTrue(has(named(list(podSpec, "volumes"), "spool"), "hostPath", "path"));
        Map<String, Object> spoolOwner = named(list(podSpec, "initContainers"), "spool-owner");
        assertEquals(List.of("CHOWN"), at(spoolOwner, "securityContext", "capabilities", "add"));
        assertEquals(List.of("ALL"), at(spoolOwner, "securityContext", "capabilities", "drop"));
        assertTrue(list(spoolOwner, "command").contains(spoolDir));
    }
}
