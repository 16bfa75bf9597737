package io.wgmon.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.testbed.Shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The podman command line, for the container tests. */
final class Podman {
    private Podman() {
    }

    static String run(String... args) {
        List<String> argv = new ArrayList<>(List.of("podman"));
        argv.addAll(List.of(args));
        return Shell.run(argv).trim();
    }

    static void quietly(String... args) {
        List<String> argv = new ArrayList<>(List.of("podman"));
        argv.addAll(List.of(args));
        Shell.quietly(argv);
    }

    /** `podman inspect` of one container or image. */
    static JsonNode inspect(String name) {
        try {
            return new ObjectMapper().readTree(run("inspect", name)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs scripts/install-podman.sh when podman or catatonit is missing and this is root (the test
     * would otherwise be skipped, or fail under CI=true).
     */
    static void installIfMissing() {
        if ((Shell.which("podman") != null && Shell.which("catatonit") != null)
                || !"root".equals(System.getProperty("user.name"))) {
            return;
        }
        try {
            Process install = new ProcessBuilder(Path.of("scripts/install-podman.sh").toAbsolutePath().toString())
                    .inheritIO().start();
            if (!install.waitFor(10, TimeUnit.MINUTES)) {
                install.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
