package io.wgmon.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.testbed.Shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The podman command line, for the container tests. */
final class Podman {
    private Podman() {
    }

    static String run(String... args) {
        return Shell.run(argv(args)).trim();
    }

    static void quietly(String... args) {
        Shell.quietly(argv(args));
    }

    private static List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(List.of("podman"));
        argv.addAll(List.of(args));
        return argv;
    }

    /** `podman inspect` of one container or image. */
    static JsonNode inspect(String name) {
        try {
            return new ObjectMapper().readTree(run("inspect", name)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
