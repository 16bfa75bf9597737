package io.wgmon.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wgmon.testbed.Shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The podman command line for the container tests, with the test-only OCI runtime: a wrapper that
 * deletes the rlimits from the bundle's config.json (or an exec's process file) and execs runc (the runtimes may not set
 * rlimits on the build machines). It belongs to the tests, never to the image or the manifests.
 */
final class Podman {
    private final Path runtime;
    /** Network namespace the commands run in (nsenter --net), or null for the host's. */
    private final String namespace;

    private Podman(Path runtime, String namespace) {
        this.runtime = runtime;
        this.namespace = namespace;
    }

    /** Writes the runtime wrapper into {@code dir}. */
    static Podman withTestRuntime(Path dir) throws IOException {
        Path wrapper = dir.resolve("runc-without-rlimits");
        Files.writeString(wrapper, """
                #!/bin/sh
                # test-only OCI runtime: runc without rlimits, in a bundle's config.json (create, run)
                # and in the process file of an exec (podman exec, health checks)
                drop() { jq "del($2)" "$1" >"$1.norlimits" && mv "$1.norlimits" "$1"; }
                prev=""
                for arg in "$@"; do
                  case "$prev" in
                    --bundle|-b) [ -f "$arg/config.json" ] && drop "$arg/config.json" .process.rlimits ;;
                    --process|-p) [ -f "$arg" ] && drop "$arg" .rlimits ;;
                  esac
                  case "$arg" in
                    --bundle=*) [ -f "${arg#--bundle=}/config.json" ] && drop "${arg#--bundle=}/config.json" .process.rlimits ;;
                    --process=*) [ -f "${arg#--process=}" ] && drop "${arg#--process=}" .rlimits ;;
                  esac
                  prev=$arg
                done
                exec runc "$@"
                """);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new Podman(wrapper, null);
    }

    /** The same podman, run with its network namespace switched to {@code namespace}. */
    Podman in(String namespace) {
        return new Podman(runtime, namespace);
    }

    String run(String... args) {
        return Shell.run(argv(args)).trim();
    }

    /** For an image build or a pod start, which may take minutes. */
    String slow(String... args) {
        return Shell.run(argv(args), null, 600).trim();
    }

    void quietly(String... args) {
        Shell.quietly(argv(args));
    }

    private List<String> argv(String... args) {
        List<String> argv = new ArrayList<>();
        if (namespace != null) {
            argv.addAll(List.of("nsenter", "--net=/run/netns/" + namespace));
        }
        argv.addAll(List.of("podman", "--runtime", runtime.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    /** `podman inspect` of one container or image. */
    JsonNode inspect(String name) {
        try {
            return new ObjectMapper().readTree(run("inspect", name)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
