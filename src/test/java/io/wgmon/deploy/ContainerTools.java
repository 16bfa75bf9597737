package io.wgmon.deploy;

import io.wgmon.testbed.Shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** The container tests' own packages: podman, catatonit, setcap (scripts/install-deps.sh). */
final class ContainerTools {
    private ContainerTools() {
    }

    /**
     * Runs scripts/install-deps.sh when one of the commands is missing and this is root
     * (the test would otherwise be skipped, or fail under CI=true).
     */
    static void installIfMissing(String... commands) {
        if (Arrays.stream(commands).allMatch(command -> Shell.which(command) != null)
                || !"root".equals(System.getProperty("user.name"))) {
            return;
        }
        try {
            Process install = new ProcessBuilder(Path.of("scripts/install-deps.sh").toAbsolutePath().toString())
                    .redirectErrorStream(true).start();
            System.out.print(new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            install.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
