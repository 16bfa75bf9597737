package io.wgmon.kerneltier;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the kernel-vm scripts, echoing its output line by line through System.out (so the
 * test runner captures it; a child writing to the forked JVM's own stdout would corrupt
 * surefire's channel) and keeping a copy.
 */
final class ScriptProcess {
    record Outcome(int exitCode, String output) {
    }

    private final Path workingDir;
    private final String prefix;

    ScriptProcess(Path workingDir, String prefix) {
        this.workingDir = workingDir;
        this.prefix = prefix;
    }

    Outcome run(List<String> argv, Map<String, String> env, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            Process process = builder.start();
            StringBuilder output = new StringBuilder();
            Thread pump = new Thread(() -> copyLines(process, output), prefix + "output");
            pump.setDaemon(true);
            pump.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", argv)
                        + "\n" + output);
            }
            pump.join(TimeUnit.SECONDS.toMillis(10));
            synchronized (output) {
                return new Outcome(process.exitValue(), output.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", argv), e);
        }
    }

    private void copyLines(Process process, StringBuilder output) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.out.println(prefix + line);
                synchronized (output) {
                    output.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            System.out.println(prefix + "(output lost: " + e.getMessage() + ")");
        }
    }
}
