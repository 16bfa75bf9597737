package io.wgmon.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.testbed.MonitorProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Dockerfile's stages copy from the build context exists once `./mvnw package` has run. */
class DockerfileStagesIT {
    private static final Path APP = Path.of("target/quarkus-app");
    private final Dockerfile dockerfile = Dockerfile.parse(Dockerfile.JVM);

    @BeforeAll
    static void packaged() {
        MonitorProcess.jar();
    }

    @Test
    void everyPathAStageCopiesExists() {
        for (Dockerfile.Stage stage : dockerfile.stages()) {
            assertFalse(stage.copies().isEmpty(), "stage " + stage.name() + " copies nothing");
            for (Dockerfile.Copy copy : stage.copies()) {
                if (!copy.fromContext()) {
                    continue;
                }
                for (String source : copy.sources()) {
                    assertFalse(expand(source).isEmpty(), "COPY source " + source + " does not exist after package");
                }
            }
        }
    }

    @Test
    void theLastStageHoldsTheWholeFastJarLayoutUnderDeployments() throws IOException {
        Map<String, Path> placed = placed(dockerfile.last());
        try (Stream<Path> entries = Files.list(APP)) {
            entries.filter(entry -> !entry.getFileName().toString().endsWith(".txt")).forEach(entry ->
                    assertEquals(entry, placed.get("/deployments/" + entry.getFileName()), "not in the image: " + entry));
        }
        assertTrue(Files.readString(Path.of("src/main/docker/wgmon-entrypoint.sh")).contains("/deployments/wgmon"),
                "the entrypoint starts the package's launcher");
    }

    @Test
    void everyImageStageStartsAScriptItCopiedThatIsExecutable() throws IOException {
        // the jre stage only makes the Java runtime the last stage copies
        for (Dockerfile.Stage stage : dockerfile.stages().stream().filter(stage -> !"jre".equals(stage.name())).toList()) {
            List<Dockerfile.Instruction> entrypoints = stage.all("ENTRYPOINT");
            assertEquals(1, entrypoints.size(), "stage " + stage.name());
            String program = new ObjectMapper().readValue(entrypoints.get(0).arguments(), String[].class)[0];
            Path script = placed(stage).get(program);
            assertTrue(script != null && Files.isExecutable(script), stage.name() + ": " + program + " from " + script);
        }
    }

    @Test
    void theMonitorRunsAsANonRootUser() {
        List<Dockerfile.Instruction> users = dockerfile.last().all("USER");
        assertEquals(1, users.size());
        String uid = users.get(0).words().get(0).split(":")[0];
        assertNotEquals("0", uid);
        assertNotEquals("root", uid);
    }

    /** Image path to the context file or directory a COPY puts there. */
    private static Map<String, Path> placed(Dockerfile.Stage stage) {
        Map<String, Path> placed = new TreeMap<>();
        for (Dockerfile.Copy copy : stage.copies().stream().filter(Dockerfile.Copy::fromContext).toList()) {
            for (String source : copy.sources()) {
                for (Path path : expand(source)) {
                    String destination = copy.destination();
                    boolean intoDirectory = destination.endsWith("/") && !Files.isDirectory(path);
                    placed.put(intoDirectory ? destination + path.getFileName() : strip(destination), path);
                }
            }
        }
        return placed;
    }

    /** The context paths a COPY source names (a '*' in the last segment matches like the shell). */
    private static List<Path> expand(String source) {
        Path path = Path.of(strip(source));
        if (!path.getFileName().toString().contains("*")) {
            return Files.exists(path) ? List.of(path) : List.of();
        }
        PathMatcher matcher = path.getFileSystem().getPathMatcher("glob:" + path.getFileName());
        try (Stream<Path> entries = Files.list(path.getParent())) {
            return entries.filter(entry -> matcher.matches(entry.getFileName())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String strip(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
