package io.wgmon.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.Shell;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.wgmon.deploy.YamlDocs.list;
import static io.wgmon.deploy.YamlDocs.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Kubernetes object in deploy/ against the Kubernetes API's JSON schemas, with npm's
 * kubernetes-models and @kubernetes-models/validate (scripts/k8s-schema/: installed once into
 * .cache/k8s-schema, offline afterwards), run by node.
 */
class KubernetesSchemaIT {
    private static final Path CACHE = Path.of(".cache/k8s-schema");

    @BeforeAll
    static void validator() {
        LivePrerequisites.require("node", "npm");
        Shell.run(List.of("scripts/k8s-schema/install.sh", CACHE.toString()), null, 300);
    }

    @Test
    void everyObjectInDeployIsValid() throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("deploy"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                objects.addAll(YamlDocs.documents(file));
            }
        }
        Result result = validate(objects);
        System.out.print("kubernetes schemas:\n" + result.output());
        assertEquals(0, result.exit(), result.output());
        assertEquals(objects.size(), result.output().lines().filter(line -> line.startsWith("valid ")).count());
        assertTrue(result.output().contains("valid apps/v1 DaemonSet/wgmon"), result.output());
    }

    @Test
    void theValidatorRejectsWhatKubernetesWould() throws IOException {
        Map<String, Object> pod = YamlDocs.ofKind(YamlDocs.documents(ManifestSettings.KUBE), "Pod");
        map(pod, "spec").put("hostNetwork", "true");
        map(list(pod, "spec", "containers").get(0)).put("ports", List.of(Map.of("name", "api")));
        Result result = validate(List.of(pod));
        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("hostNetwork must be boolean"), result.output());
        assertTrue(result.output().contains("containerPort"), result.output());
    }

    private record Result(int exit, String output) {
    }

    private static Result validate(List<Map<String, Object>> objects) throws IOException {
        ProcessBuilder node = new ProcessBuilder("node", "scripts/k8s-schema/validate.cjs").redirectErrorStream(true);
        node.environment().put("NODE_PATH", CACHE.resolve("node_modules").toAbsolutePath().toString());
        Process process = node.start();
        try (var in = process.getOutputStream()) {
            in.write(new ObjectMapper().writeValueAsBytes(objects));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return new Result(process.waitFor(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
