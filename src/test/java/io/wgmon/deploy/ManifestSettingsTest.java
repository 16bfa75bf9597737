package io.wgmon.deploy;

import io.wgmon.config.StoreFolder;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.wgmon.config.ConfigCheck;
import io.wgmon.config.WgmonConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings the deployment files give wgmon: keys the application knows, valid values, the same everywhere. */
class ManifestSettingsTest {
    private static final ConfigKeys KEYS = ConfigKeys.declaredByApplication();

    static List<ManifestSettings> manifests() {
        return ManifestSettings.all();
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void everySettingIsAKeyTheApplicationDeclares(ManifestSettings manifest) {
        List<String> unknown = manifest.names().stream().filter(name -> !KEYS.knowsEnv(name)).toList();
        assertEquals(List.of(), unknown, manifest + " sets variables that are no configuration key of the application");
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void theValuesMakeAValidConfiguration(ManifestSettings manifest) {
        Map<String, String> env = new HashMap<>();
        // a value from a Secret, a pod field or the shell is a string the file cannot show (long enough for a token)
        manifest.settings().forEach(setting -> env.put(setting.name(),
                setting.literal() ? setting.value() : "a-value-from-outside"));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredConverters()
                .withMapping(WgmonConfig.class)
                .withSources(new EnvConfigSource(env, EnvConfigSource.ORDINAL))
                .build();
        assertEquals(List.of(), ConfigCheck.problems(config.getConfigMapping(WgmonConfig.class)), manifest.toString());
        int port = config.getValue("quarkus.http.port", Integer.class);
        assertTrue(port > 0 && port < 65536, manifest + ": quarkus.http.port " + port);
        int management = config.getValue("quarkus.management.port", Integer.class);
        assertTrue(management > 0 && management < 65536 && management != port,
                manifest + ": quarkus.management.port " + management + ", a port of its own");
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void everySettingHasACommentAboveIt(ManifestSettings manifest) throws IOException {
        List<String> lines = Files.readAllLines(manifest.file());
        List<String> uncommented = manifest.names().stream()
                .filter(name -> !commentedAt(lines, name)).toList();
        assertEquals(List.of(), uncommented, manifest + ": settings without a comment line above them");
    }

    /**
     * Issue 19, finding 8: with hostNetwork (network_mode host) every address of the node is the
     * node's, so each server of each shipped file listens on loopback, and the application's own
     * default is loopback too (a file that left the host out would get it).
     */
    @ParameterizedTest
    @MethodSource("manifests")
    void noShippedManifestListensOnAPublicAddress(ManifestSettings manifest) throws IOException {
        Map<String, String> values = manifest.literalValues();
        for (String host : List.of("QUARKUS_HTTP_HOST", "QUARKUS_MANAGEMENT_HOST")) {
            assertEquals("127.0.0.1", values.get(host), manifest + ": " + host);
            assertTrue(manifest.settings().stream().filter(setting -> setting.name().equals(host)).allMatch(ManifestSettings.Setting::literal),
                    manifest + ": " + host + " is taken from outside the file");
        }
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        assertTrue(properties.contains("\nquarkus.http.host=127.0.0.1\n"), "the application's default API address");
        assertTrue(properties.contains("\nquarkus.management.host=127.0.0.1\n"), "the application's default management address");
    }

    @Test
    void everyKeyOfWgmonIsListed() {
        List<String> names = ManifestSettings.kube().names();
        List<String> unlisted = KEYS.keys().stream()
                .filter(key -> key.startsWith("wgmon.") && !key.contains("*"))
                .filter(key -> !key.equals(StoreFolder.ALIAS)) // deprecated: the manifest sets wgmon.store.dir
                .filter(key -> names.stream().noneMatch(name -> ConfigKeys.envPattern(key).matcher(name).matches()))
                .toList();
        assertEquals(List.of(), unlisted, ManifestSettings.KUBE + " lists every key, with a comment");
    }

    @Test
    void theThreeFilesGiveTheSameSettings() {
        ManifestSettings kube = ManifestSettings.kube();
        for (ManifestSettings other : List.of(ManifestSettings.daemonSet(), ManifestSettings.compose())) {
            assertEquals(new TreeSet<>(kube.names()), new TreeSet<>(other.names()), kube + " vs " + other);
            kube.literalValues().forEach((name, value) -> {
                String otherValue = other.literalValues().get(name);
                if (otherValue != null) {
                    assertEquals(value, otherValue, name + " in " + kube + " vs " + other);
                }
            });
        }
    }

    @Test
    void theWebhookSecretAndTheApiTokenAreNeverWrittenInAFile() {
        for (ManifestSettings manifest : ManifestSettings.all()) {
            List<ManifestSettings.Setting> secrets = manifest.settings().stream()
                    .filter(setting -> Set.of("WGMON_WEBHOOK_SECRET", "WGMON_API_TOKEN").contains(setting.name())).toList();
            assertEquals(2, secrets.size(), manifest + ": " + secrets);
            secrets.forEach(secret -> assertFalse(secret.literal(), manifest + " writes " + secret.name() + " as a literal"));
        }
    }

    @Test
    void everyVariableOfTheImageIsReadByTheEntrypointOrIsAKey() throws IOException {
        // the entrypoint and the launcher it runs
        String entrypoint = Files.readString(Path.of("src/main/docker/wgmon-entrypoint.sh"))
                + Files.readString(Path.of("src/main/bin/wgmon"));
        Set<String> unused = new TreeSet<>();
        for (Dockerfile.Instruction env : Dockerfile.parse(Dockerfile.JVM).last().all("ENV")) {
            for (String assignment : env.arguments().split("\\s+(?=[A-Z_]+=)")) {
                String name = assignment.substring(0, assignment.indexOf('='));
                if (!KEYS.knowsEnv(name) && !entrypoint.contains("${" + name)) {
                    unused.add(name);
                }
            }
        }
        assertEquals(Set.of(), unused, "image ENV that nothing reads");
    }

    /** Whether the line declaring {@code name} (a YAML key or a {@code - name:} entry) has a comment line above it. */
    private static boolean commentedAt(List<String> lines, String name) {
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.equals("- name: " + name) || line.startsWith(name + ":")) {
                return lines.get(i - 1).trim().startsWith("#");
            }
        }
        return false;
    }
}
