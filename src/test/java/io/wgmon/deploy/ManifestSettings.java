package io.wgmon.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment each deployment file hands the wgmon container, in the order written. A value
 * taken from a Secret, a pod field or the shell ({@code ${...}} in compose) is not literal.
 */
record ManifestSettings(Path file, List<Setting> settings) {
    static final Path KUBE = Path.of("deploy/kube.yaml");
    static final Path DAEMON_SET = Path.of("deploy/daemonset.yaml");
    static final Path COMPOSE = Path.of("compose.yaml");

    record Setting(String name, String value, boolean literal) {
    }

    static List<ManifestSettings> all() {
        return List.of(kube(), daemonSet(), compose());
    }

    static ManifestSettings kube() {
        Map<String, Object> pod = YamlDocs.ofKind(YamlDocs.documents(KUBE), "Pod");
        return new ManifestSettings(KUBE, envList(monitor(YamlDocs.map(pod, "spec"))));
    }

    static ManifestSettings daemonSet() {
        List<Map<String, Object>> documents = YamlDocs.documents(DAEMON_SET);
        Map<String, Object> configMap = YamlDocs.ofKind(documents, "ConfigMap");
        Map<String, Object> monitor = monitor(YamlDocs.map(YamlDocs.ofKind(documents, "DaemonSet"), "spec", "template", "spec"));
        String referenced = YamlDocs.string(monitor, "envFrom", 0, "configMapRef", "name");
        if (!referenced.equals(YamlDocs.string(configMap, "metadata", "name"))) {
            throw new AssertionError("envFrom names ConfigMap " + referenced + ", the file defines another");
        }
        List<Setting> settings = new ArrayList<>();
        YamlDocs.map(configMap, "data").forEach((name, value) -> settings.add(new Setting(name, String.valueOf(value), true)));
        settings.addAll(envList(monitor));
        return new ManifestSettings(DAEMON_SET, settings);
    }

    static ManifestSettings compose() {
        Map<String, Object> environment = YamlDocs.map(YamlDocs.documents(COMPOSE).get(0), "services", "wgmon", "environment");
        List<Setting> settings = new ArrayList<>();
        environment.forEach((name, value) -> {
            String text = String.valueOf(value);
            settings.add(new Setting(name, text, !text.contains("${")));
        });
        return new ManifestSettings(COMPOSE, settings);
    }

    static Map<String, Object> monitor(Map<String, Object> podSpec) {
        return YamlDocs.named(YamlDocs.list(podSpec, "containers"), "monitor");
    }

    List<String> names() {
        return settings.stream().map(Setting::name).toList();
    }

    Map<String, String> literalValues() {
        Map<String, String> values = new LinkedHashMap<>();
        settings.stream().filter(Setting::literal).forEach(setting -> values.put(setting.name(), setting.value()));
        return values;
    }

    private static List<Setting> envList(Map<String, Object> container) {
        List<Setting> settings = new ArrayList<>();
        for (Object entry : YamlDocs.list(container, "env")) {
            String name = YamlDocs.string(entry, "name");
            boolean literal = YamlDocs.has(entry, "value");
            settings.add(new Setting(name, literal ? YamlDocs.string(entry, "value") : null, literal));
        }
        return settings;
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
