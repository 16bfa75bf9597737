package io.wgmon.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs commands for the test beds; a non-zero exit is an exception carrying stderr. */
public final class Shell {
    private static final List<String> EXTRA_PATH = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private Shell() {
    }

    public static String run(List<String> argv) {
        return run(argv, null);
    }

    public static String run(List<String> argv, String stdin) {
        return run(argv, stdin, 60);
    }

    /** For the slow ones (an image build): a non-zero exit or {@code timeoutSeconds} passing is an exception. */
    public static String run(List<String> argv, String stdin, long timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(argv).start();
            CompletableFuture<byte[]> out = drain(process.getInputStream());
            CompletableFuture<byte[]> err = drain(process.getErrorStream());
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", argv));
            }
            String stdout = new String(out.join(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("exit " + process.exitValue() + ": " + String.join(" ", argv)
                        + "\n" + new String(err.join(), StandardCharsets.UTF_8) + stdout);
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", argv), e);
        }
    }

    /** Runs and ignores failure: for clean-up steps that may find nothing to clean. */
    public static void quietly(List<String> argv) {
        try {
            run(argv);
        } catch (RuntimeException ignored) {
            // nothing to clean up is fine
        }
    }

    public static Path which(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + ":" + String.join(":", EXTRA_PATH)).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command);
            }
        }
        return null;
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                return buffer.toByteArray();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }
}
