package io.wgmon.deploy;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.wgmon.deploy.YamlDocs.list;
import static io.wgmon.deploy.YamlDocs.map;
import static io.wgmon.deploy.YamlDocs.named;

/**
 * A copy of deploy/kube.yaml in which only test values differ: the pod's name, env values
 * (receiver URL, NFLOG group, idle timeout...), host paths, and what the README tells a user to
 * change for a mode (NET_RAW for bpf; uid 0 for userspace WireGuard).
 */
final class KubeTestManifest {
    private final Map<String, Object> pod = YamlDocs.ofKind(YamlDocs.documents(ManifestSettings.KUBE), "Pod");

    KubeTestManifest(String podName) {
        map(pod, "metadata").put("name", podName);
    }

    String podName() {
        return (String) map(pod, "metadata").get("name");
    }

    String monitorContainer() {
        return podName() + "-" + monitor().get("name");
    }

    KubeTestManifest env(String name, String value) {
        named(list(monitor(), "env"), name).put("value", value);
        return this;
    }

    KubeTestManifest hostPath(String volume, Path path) {
        map(named(list(pod, "spec", "volumes"), volume), "hostPath").put("path", path.toString());
        return this;
    }

    KubeTestManifest addCapability(String capability) {
        List<Object> add = new ArrayList<>(list(monitor(), "securityContext", "capabilities", "add"));
        add.add(capability);
        map(monitor(), "securityContext", "capabilities").put("add", add);
        return this;
    }

    /** The README's configuration for userspace WireGuard: runAsUser and runAsGroup 0. */
    KubeTestManifest runAsRoot() {
        map(monitor(), "securityContext").put("runAsUser", 0);
        map(monitor(), "securityContext").put("runAsGroup", 0);
        return this;
    }

    List<String> capabilities() {
        return list(monitor(), "securityContext", "capabilities", "add").stream().map(String::valueOf).toList();
    }

    Path write(Path dir) throws IOException {
        Path file = dir.resolve(podName() + ".yaml");
        Files.writeString(file, new Yaml().dump(new LinkedHashMap<>(pod)));
        return file;
    }

    private Map<String, Object> monitor() {
        return map(list(pod, "spec", "containers").get(0));
    }
}
