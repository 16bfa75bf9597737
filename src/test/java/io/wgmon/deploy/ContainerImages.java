package io.wgmon.deploy;

import io.wgmon.testbed.Shell;

import java.util.ArrayList;
import java.util.List;

/**
 * The images the README builds, made the README's way from the real Dockerfile: both stages, on a
 * Debian base that scripts/container/base-image.sh makes with mmdebstrap (cached in .cache/container:
 * no registry is needed). Built once per test run; podman's layer cache makes a rebuild of an
 * unchanged application quick.
 */
record ContainerImages(String monitor, String wgQuick, long monitorBytes, long buildMillis) {
    static final String BASE = "localhost/wgmon-test-base:bookworm";

    static ContainerImages build(Podman podman) {
        long start = System.nanoTime();
        Shell.run(List.of("scripts/container/base-image.sh"), null, 600);
        String monitor = "localhost/wgmon:latest";
        String wgQuick = "localhost/wgmon-wg-quick:latest";
        // the jre stage tagged too, so that the build before this one (its runtime and image) is left
        // untagged and can be removed, while this one stays as the layer cache of the next run
        String jre = "localhost/wgmon-build-jre:latest";
        for (List<String> target : List.of(List.of("--target", "jre", "-t", jre), List.of("-t", monitor),
                List.of("--target", "wg-quick", "-t", wgQuick))) {
            List<String> argv = new ArrayList<>(List.of("build", "-q", "--network", "host",
                    "--build-arg", "BASE_IMAGE=" + BASE, "-f", Dockerfile.JVM.toString()));
            argv.addAll(target);
            argv.add(".");
            podman.slow(argv.toArray(String[]::new));
        }
        for (String title : List.of("wgmon", "wgmon-jre")) {
            podman.quietly("image", "prune", "--force", "--filter", "dangling=true",
                    "--filter", "label=org.opencontainers.image.title=" + title);
        }
        long bytes = Long.parseLong(podman.run("image", "inspect", "--format", "{{.Size}}", monitor));
        return new ContainerImages(monitor, wgQuick, bytes, (System.nanoTime() - start) / 1_000_000);
    }
}
