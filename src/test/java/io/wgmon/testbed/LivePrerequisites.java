package io.wgmon.testbed;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gate for live tests: they need root and real tools. Missing prerequisites skip the test with a
 * loud banner, except under {@code CI=true}, where they fail it: CI must run the live tier.
 */
public final class LivePrerequisites {
    private LivePrerequisites() {
    }

    public static void require(String... commands) {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (live tests create network namespaces)");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun");
        }
        for (String command : commands) {
            if (Shell.which(command) == null) {
                missing.add("command '" + command + "'");
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        notMet(String.join(", ", missing) + " (install: scripts/install-deps.sh, or apt-get install wireguard-go "
                + "wireguard-tools nftables iproute2 iputils-ping libpcap0.8 prometheus chromium)");
    }

    /**
     * A prerequisite of the host other than root and commands, such as a non-loopback address: its
     * value, or the same loud skip (a failure under {@code CI=true}) naming {@code what}.
     */
    public static <T> T require(Optional<T> prerequisite, String what) {
        if (prerequisite.isEmpty()) {
            notMet(what);
        }
        return prerequisite.orElseThrow();
    }

    private static void notMet(String missing) {
        String message = "LIVE TEST NOT RUN, missing: " + missing;
        System.err.println("\n" + "!".repeat(100) + "\n!! " + message + "\n" + "!".repeat(100) + "\n");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " -- failing because CI=true");
        }
        Assumptions.abort(message);
    }
}
