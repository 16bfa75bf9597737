package io.wgmon.kerneltier;

import io.wgmon.testbed.LivePrerequisites;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kernel test tier from Java: runs a command as root in a throwaway qemu VM booted on a
 * Debian kernel that has the real WireGuard module (scripts/kernel-vm/prepare.sh and run.sh).
 * The VM sees the host's files read-only, so it runs the host's java, wg, nft and ip; the run's
 * out folder is shared writable at the same path, and the command finds it in $KERNEL_VM_OUT.
 * Software emulation: a boot costs 10-20 s and the JVM starts several times slower than on the host.
 */
public final class KernelVm {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
    /** run.sh's exit code when it had to kill the VM. */
    public static final int TIMED_OUT = 124;

    /** exitCode is the command's own, or 124 (timed out) / 125 (the VM died before it ended). */
    public record Result(int exitCode, String output, String console, Path outDir) {
        public boolean timedOut() {
            return exitCode == TIMED_OUT;
        }
    }

    private final Path projectDir;
    private final Path cacheDir;
    private final Duration timeout;

    public KernelVm(Path projectDir, Path cacheDir, Duration timeout) {
        this.projectDir = projectDir.toAbsolutePath();
        this.cacheDir = cacheDir.toAbsolutePath();
        this.timeout = timeout;
        if (!Files.isExecutable(script("run.sh"))) {
            throw new IllegalStateException("not a wgmon checkout (no scripts/kernel-vm/run.sh): " + this.projectDir);
        }
    }

    /** The checkout the tests run in (Maven runs them there) with the default cache .cache/kernel-vm. */
    public static KernelVm forThisProject() {
        Path project = Path.of(System.getProperty("user.dir"));
        return new KernelVm(project, project.resolve(".cache/kernel-vm"), DEFAULT_TIMEOUT);
    }

    /**
     * The VM for a test class's @BeforeAll: prepared (prepare.sh installs qemu itself, so only
     * as root), then the commands the test needs are required: a loud skip, or a failure under CI.
     */
    public static KernelVm preparedForTests(String... commands) {
        KernelVm vm = forThisProject();
        if ("root".equals(System.getProperty("user.name"))) {
            vm.prepare();
        }
        LivePrerequisites.require(commands);
        return vm;
    }

    public KernelVm withTimeout(Duration newTimeout) {
        return new KernelVm(projectDir, cacheDir, newTimeout);
    }

    /** Installs qemu and busybox-static when missing, fetches the kernel once, builds the initramfs. */
    public void prepare() {
        ScriptProcess.Outcome outcome = new ScriptProcess(projectDir, "[kernel-vm prepare] ")
                .run(List.of(script("prepare.sh").toString(), cacheDir.toString()), Map.of(), Duration.ofMinutes(20));
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException("scripts/kernel-vm/prepare.sh failed with exit " + outcome.exitCode()
                    + ":\n" + outcome.output());
        }
    }

    /** The kernel version prepare() unpacked, e.g. 6.1.0-56-amd64. */
    public String kernelVersion() {
        return read(cacheDir.resolve("kernel-version")).strip();
    }

    public Result run(Path outDir, Map<String, String> env, List<String> command) {
        List<String> argv = new ArrayList<>();
        argv.add(script("run.sh").toString());
        env.forEach((name, value) -> {
            argv.add("-e");
            argv.add(name + "=" + value);
        });
        argv.addAll(List.of(cacheDir.toString(), outDir.toAbsolutePath().toString(), "--"));
        argv.addAll(command);
        Map<String, String> scriptEnv = Map.of("KERNEL_VM_TIMEOUT", String.valueOf(timeout.toSeconds()));
        ScriptProcess.Outcome outcome = new ScriptProcess(projectDir, "[kernel-vm] ")
                .run(argv, scriptEnv, timeout.plusMinutes(1));
        return new Result(outcome.exitCode(), readIfExists(outDir.resolve("output.log")),
                readIfExists(outDir.resolve("console.log")), outDir);
    }

    /**
     * Runs {@code java jvmArgs -cp classpath mainClass args} in the VM with this JVM's java. The
     * JVM options go through an argument file in outDir: the class path is long, and run.sh logs
     * the command line.
     */
    public Result runJava(Path outDir, String classpath, List<String> jvmArgs, String mainClass, List<String> args) {
        Path argFile = outDir.toAbsolutePath().resolve("java.args");
        StringBuilder options = new StringBuilder();
        jvmArgs.forEach(arg -> options.append(quoted(arg)).append('\n'));
        options.append("-cp\n").append(quoted(classpath)).append('\n');
        try {
            Files.createDirectories(outDir);
            Files.writeString(argFile, options, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + argFile, e);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + argFile);
        command.add(mainClass);
        command.addAll(args);
        return run(outDir, Map.of(), command);
    }

    private static String quoted(String argFileArgument) {
        return "\"" + argFileArgument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The class path of this test JVM, for {@link #runJava}. Under surefire and failsafe it is the
     * real test class path (test classes, the project's classes or jar, every dependency) even
     * when the fork is started from a manifest-only jar: the booter resets java.class.path.
     */
    public static String testClasspath() {
        return System.getProperty("java.class.path");
    }

    private Path script(String name) {
        return projectDir.resolve("scripts/kernel-vm").resolve(name);
    }

    private static String readIfExists(Path file) {
        return Files.exists(file) ? read(file) : "";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
