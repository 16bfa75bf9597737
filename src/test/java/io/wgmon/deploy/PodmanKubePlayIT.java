package io.wgmon.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.MonitorProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import static io.wgmon.deploy.YamlDocs.list;
import static io.wgmon.deploy.YamlDocs.map;
import static io.wgmon.deploy.YamlDocs.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kube.yaml as podman reads it: `podman kube play --start=false` with local stand-in
 * images, the created containers read back with `podman inspect`, then `podman kube down`.
 * (Containers cannot start on the build machines: no base image can be pulled, and the OCI
 * runtime's setrlimit is refused.)
 */
class PodmanKubePlayIT {
    private static final long MiB = 1024 * 1024;

    @BeforeAll
    static void podman() {
        MonitorProcess.jar();
        ContainerTools.installIfMissing("podman", "catatonit");
        LivePrerequisites.require("podman", "catatonit");
    }

    @Test
    void kubePlayCreatesThePodTheManifestDescribes(@TempDir Path temp) throws IOException {
        Map<String, Object> pod = YamlDocs.ofKind(YamlDocs.documents(ManifestSettings.KUBE), "Pod");
        // a name of its own, so that a wgmon pod running on this machine is neither hit nor taken down
        String podName = "wgmon-it-" + ProcessHandle.current().pid();
        map(pod, "metadata").put("name", podName);
        Path manifest = temp.resolve("kube.yaml");
        Files.writeString(manifest, new Yaml().dump(pod));

        List<Path> hostDirectoriesBefore = missingHostDirectories(pod);
        try (StandInImages images = StandInImages.tag(Dockerfile.parse(Dockerfile.JVM), imageNames(pod), temp)) {
            try {
                Podman.run("kube", "play", "--start=false", manifest.toString());
                checkMonitor(Podman.inspect(podName + "-monitor"), images);
                checkSpoolOwner(Podman.inspect(podName + "-spool-owner"));
                checkWgQuick(Podman.inspect(podName + "-wg-quick"));
            } finally {
                Podman.quietly("kube", "down", manifest.toString());
            }
        } finally {
            removeEmpty(hostDirectoriesBefore);
        }
    }

    private static void checkMonitor(JsonNode monitor, StandInImages images) {
        assertEquals("host", monitor.at("/HostConfig/NetworkMode").asText());
        assertEquals(List.of("CAP_NET_ADMIN"), strings(monitor.get("EffectiveCaps")), "effective capabilities");
        assertEquals(List.of("CAP_NET_ADMIN"), strings(monitor.get("BoundingCaps")), "everything else dropped");
        assertEquals("10001:10001", monitor.at("/Config/User").asText());
        assertTrue(monitor.at("/HostConfig/ReadonlyRootfs").asBoolean());
        assertFalse(monitor.at("/HostConfig/Privileged").asBoolean());
        assertEquals(images.id("localhost/wgmon:latest"), monitor.get("Image").asText());

        Map<String, JsonNode> mounts = mountsByDestination(monitor);
        assertBind(mounts, "/var/run/wireguard", "/var/run/wireguard", false);
        assertBind(mounts, "/var/lib/wgmon/spool", "/var/lib/wgmon/spool", true);
        assertTrue(mounts.containsKey("/tmp"), "a writable /tmp beside the read-only root: " + mounts.keySet());

        Map<String, String> env = env(monitor);
        ManifestSettings settings = ManifestSettings.kube();
        settings.literalValues().forEach((name, value) -> assertEquals(value, env.get(name), name));
        assertFalse(env.containsKey("WGMON_WEBHOOK_SECRET"), "optional secret that no podman secret provides");
        assertFalse(env.containsKey("WGMON_API_TOKEN"), "optional secret that no podman secret provides");
        assertEquals("/var/lib/wgmon/spool", env.get("WGMON_WEBHOOK_SPOOL_DIR"));

        assertEquals(256 * MiB, monitor.at("/HostConfig/Memory").asLong());
        assertEquals(128 * MiB, monitor.at("/HostConfig/MemoryReservation").asLong());
        String healthcheck = String.join(" ", strings(monitor.at("/Config/Healthcheck/Test")));
        assertTrue(healthcheck.contains("http://localhost:" + env.get("QUARKUS_MANAGEMENT_PORT") + "/q/health/live"), healthcheck);
        assertEquals(List.of("/opt/wgmon/bin/wgmon-entrypoint"), entrypoint(monitor));
        checkImageHolds("localhost/wgmon:latest", "/opt/wgmon/bin/wgmon-entrypoint", "/deployments/quarkus-run.jar",
                "/deployments/lib/boot", "/deployments/lib/main", "/deployments/app", "/deployments/quarkus");
    }

    private static void checkSpoolOwner(JsonNode spoolOwner) {
        assertEquals(List.of("CAP_CHOWN"), strings(spoolOwner.get("EffectiveCaps")));
        assertEquals(List.of("CAP_CHOWN"), strings(spoolOwner.get("BoundingCaps")));
        assertEquals("0", spoolOwner.at("/Config/User").asText());
        assertBind(mountsByDestination(spoolOwner), "/var/lib/wgmon/spool", "/var/lib/wgmon/spool", true);
        List<String> command = new ArrayList<>(entrypoint(spoolOwner));
        command.addAll(strings(spoolOwner.at("/Config/Cmd")));
        assertEquals(List.of("chown", "10001:10001", "/var/lib/wgmon/spool"), command);
    }

    private static void checkWgQuick(JsonNode wgQuick) {
        assertEquals("host", wgQuick.at("/HostConfig/NetworkMode").asText());
        assertEquals(List.of("CAP_NET_ADMIN"), strings(wgQuick.get("EffectiveCaps")));
        assertEquals(List.of("CAP_NET_ADMIN"), strings(wgQuick.get("BoundingCaps")));
        assertEquals("", env(wgQuick).get("WG_QUICK_INTERFACE"), "does nothing unless asked");
        assertBind(mountsByDestination(wgQuick), "/etc/wireguard", "/etc/wireguard", false);
        assertEquals(List.of("/usr/local/bin/wg-quick-up"), entrypoint(wgQuick));
        checkImageHolds("localhost/wgmon-wg-quick:latest", "/usr/local/bin/wg-quick-up");
    }

    private static void checkImageHolds(String image, String... paths) {
        Path root = Path.of(Podman.run("image", "mount", image));
        try {
            for (String path : paths) {
                assertTrue(Files.exists(root.resolve(path.substring(1))), image + " lacks " + path);
            }
            assertTrue(Files.isExecutable(root.resolve(paths[0].substring(1))), image + ": " + paths[0] + " is not executable");
        } finally {
            Podman.quietly("image", "unmount", image);
        }
    }

    private static void assertBind(Map<String, JsonNode> mounts, String destination, String source, boolean writable) {
        JsonNode mount = mounts.get(destination);
        assertTrue(mount != null, destination + " is not mounted: " + mounts.keySet());
        assertEquals("bind", mount.get("Type").asText(), destination);
        assertEquals(source, mount.get("Source").asText(), destination);
        assertEquals(writable, mount.get("RW").asBoolean(), destination + " writable");
    }

    private static Map<String, JsonNode> mountsByDestination(JsonNode container) {
        Map<String, JsonNode> mounts = new HashMap<>();
        container.get("Mounts").forEach(mount -> mounts.put(mount.get("Destination").asText(), mount));
        return mounts;
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        for (String entry : strings(container.at("/Config/Env"))) {
            int equals = entry.indexOf('=');
            env.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
        return env;
    }

    private static List<String> entrypoint(JsonNode container) {
        JsonNode entrypoint = container.at("/Config/Entrypoint");
        return entrypoint.isTextual() ? List.of(entrypoint.asText().split(" ")) : strings(entrypoint);
    }

    private static List<String> strings(JsonNode array) {
        return array == null || array.isMissingNode() || array.isNull() ? List.of()
                : StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static Set<String> imageNames(Map<String, Object> pod) {
        Set<String> names = new LinkedHashSet<>();
        for (String part : List.of("initContainers", "containers")) {
            list(pod, "spec", part).forEach(container -> names.add(string(container, "image")));
        }
        return names;
    }

    /** The host directories (and missing parents) that kube play will create for hostPath volumes. */
    private static List<Path> missingHostDirectories(Map<String, Object> pod) {
        Set<Path> missing = new TreeSet<>();
        for (Object volume : list(pod, "spec", "volumes")) {
            if (YamlDocs.has(volume, "hostPath")) {
                for (Path path = Path.of(string(volume, "hostPath", "path")); !Files.exists(path); path = path.getParent()) {
                    missing.add(path);
                }
            }
        }
        return List.copyOf(missing);
    }

    private static void removeEmpty(List<Path> directories) throws IOException {
        for (int i = directories.size() - 1; i >= 0; i--) {
            Path directory = directories.get(i);
            try (var entries = Files.list(directory)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(directory);
                }
            } catch (NoSuchFileException gone) {
                // kube play did not create it
            }
        }
    }
}
