package io.wgmon.deploy;

import io.wgmon.testbed.LivePrerequisites;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package's launcher (src/main/bin/wgmon) run by /bin/sh against a stand-in JDK whose java
 * prints its command line: the flags of jvm.options for that JDK's version, then JAVA_OPTS_APPEND,
 * then the fast-jar and the application's arguments; the class-data archive written once, then used.
 */
class LauncherTest {
    @TempDir
    Path root;
    private Path app;

    @BeforeEach
    void installLikeThePackage() throws IOException {
        app = Files.createDirectories(root.resolve("quarkus-app"));
        Files.copy(Path.of("src/main/bin/wgmon"), app.resolve("wgmon"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(Path.of("src/main/bin/jvm.options"), app.resolve("jvm.options"));
        Files.createFile(app.resolve("quarkus-run.jar"));
    }

    @Test
    void jvmOptionsThenTheAppendedFlagsThenTheFastJarThenTheArguments() throws Exception {
        String line = run(jdk("17.0.9"), Map.of("JAVA_OPTS_APPEND", "-Dx=y -Xmx1g", "WGMON_CDS", "off"), "--flag", "two words");
        List<String> expected = new ArrayList<>(List.of("java"));
        expected.addAll(flagsOf("17"));
        expected.addAll(List.of("-Dx=y", "-Xmx1g", "-jar", app.resolve("quarkus-run.jar").toString(), "--flag", "two words"));
        assertEquals(String.join(" ", expected), line);
    }

    @Test
    void aFlagForOtherJdkVersionsIsLeftOut() throws Exception {
        assertTrue(run(jdk("17.0.9"), Map.of("WGMON_CDS", "off")).contains(" -XX:-UseNotificationThread "));
        String on25 = run(jdk("25.0.1"), Map.of("WGMON_CDS", "off"));
        assertFalse(on25.contains("UseNotificationThread"), on25);
        assertTrue(on25.contains(" -XX:+UseSerialGC "), on25);
    }

    @Test
    void theFirstRunWritesTheArchiveAndLaterRunsUseIt() throws Exception {
        Path jdk = jdk("17.0.9");
        Path archive = app.resolve("wgmon-17.0.9.jsa");
        assertTrue(run(jdk, Map.of()).contains(" -XX:ArchiveClassesAtExit=" + archive + " "));
        Files.createFile(archive);
        String later = run(jdk, Map.of());
        assertTrue(later.contains(" -XX:SharedArchiveFile=" + archive + " "), later);
        String off = run(jdk, Map.of("WGMON_CDS", "off"));
        assertFalse(off.contains("ArchiveClassesAtExit") || off.contains("SharedArchiveFile"), off);
    }

    /** Issue 19, finding 16: the archive is code the JVM runs, so only a folder no other account can write is used. */
    @Test
    void anArchiveInAFolderOthersCanWriteOrOwnIsNeitherUsedNorWritten() throws Exception {
        LivePrerequisites.require("chown");
        Path jdk = jdk("17.0.9");
        Path shared = Files.createDirectories(root.resolve("cds"));
        Path archive = shared.resolve("wgmon-17.0.9.jsa");
        Map<String, String> env = Map.of("WGMON_CDS_DIR", shared.toString());

        chmod(shared, "rwxr-xr-x");
        String ours = run(jdk, env);
        assertTrue(ours.contains(" -XX:ArchiveClassesAtExit=" + archive + " "), ours);
        Files.createFile(archive);
        chmod(archive, "rw-r--r--");
        assertTrue(run(jdk, env).contains(" -XX:SharedArchiveFile=" + archive + " "));

        chmod(shared, "rwxrwxr-x");
        assertRunsWithoutArchive(run(jdk, env), "a folder its group can write");
        chmod(shared, "rwxr-xrwx");
        assertRunsWithoutArchive(run(jdk, env), "a folder everyone can write");
        chmod(shared, "rwxr-xr-x");
        chmod(archive, "rw-rw-rw-");
        assertRunsWithoutArchive(run(jdk, env), "an archive everyone can write");
        chmod(archive, "rw-r--r--");
        chown(shared, 65534);
        assertRunsWithoutArchive(run(jdk, env), "a folder of another user");
        Files.delete(archive);
        assertRunsWithoutArchive(run(jdk, env), "a folder of another user, no archive yet");
    }

    /** The same rule for a user other than root: a folder of its own is used, root's too, another user's not. */
    @Test
    void forAnUnprivilegedUserItsOwnFolderOrRootsIsUsedAndNoOtherUsers() throws Exception {
        LivePrerequisites.require("chown", "setpriv");
        Path jdk = jdk("17.0.9");
        chmod(root, "rwxr-xr-x");
        Path own = Files.createDirectories(root.resolve("own"));
        Files.createFile(own.resolve("wgmon-17.0.9.jsa"));
        chown(own, 65534);
        chown(own.resolve("wgmon-17.0.9.jsa"), 65534);
        assertTrue(runAs(65534, jdk, Map.of("WGMON_CDS_DIR", own.toString())).contains(" -XX:SharedArchiveFile="));
        Path roots = Files.createDirectories(root.resolve("roots"));
        Files.createFile(roots.resolve("wgmon-17.0.9.jsa"));
        assertTrue(runAs(65534, jdk, Map.of("WGMON_CDS_DIR", roots.toString())).contains(" -XX:SharedArchiveFile="));
        Path others = Files.createDirectories(root.resolve("others"));
        Files.createFile(others.resolve("wgmon-17.0.9.jsa"));
        chown(others, 65533);
        assertRunsWithoutArchive(runAs(65534, jdk, Map.of("WGMON_CDS_DIR", others.toString())), "another user's folder");
    }

    private static void assertRunsWithoutArchive(String output, String what) {
        assertFalse(output.contains("SharedArchiveFile") || output.contains("ArchiveClassesAtExit"), what + ": " + output);
        assertTrue(output.startsWith("wgmon: not using a class-data archive in "), what + ": " + output);
        assertEquals(1, output.split("class-data archive", -1).length - 1, "said once: " + output);
    }

    private static void chmod(Path path, String permissions) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }

    private static void chown(Path path, int uid) throws Exception {
        Process chown = new ProcessBuilder("chown", uid + ":" + uid, path.toString()).inheritIO().start();
        assertEquals(0, chown.waitFor(), "chown " + uid + " " + path + " (the launcher tests run as root)");
    }

    @Test
    void aConfigurationFileWithAHugeLineIsRefusedInOneLineBeforeJavaStarts() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        Path config = Files.createDirectories(work.resolve("config")).resolve("application.properties");
        Files.writeString(config, "wgmon.host=a\nwgmon.webhook.url = http://" + "a".repeat(10 * 1024 * 1024) + "\n");
        List<String> argv = List.of("env", "-i", "PATH=/usr/bin:/bin", "JAVA_HOME=" + jdk("17.0.9"), "WGMON_CDS=off",
                app.resolve("wgmon").toString());
        Process process = new ProcessBuilder(argv).directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, process.exitValue(), output);
        assertEquals("Invalid configuration: config/application.properties line 2 (wgmon.webhook.url) has "
                + ("wgmon.webhook.url = http://".length() + 10 * 1024 * 1024) + " characters, which is not allowed: at most 8192", output.strip());

        Files.writeString(config, "wgmon.host=a\n");
        Path located = Files.writeString(root.resolve("located.properties"), "x=" + "1".repeat(9000) + "\n");
        process = new ProcessBuilder(List.of("env", "-i", "PATH=/usr/bin:/bin", "JAVA_HOME=" + jdk("17.0.9"),
                "WGMON_CDS=off", "QUARKUS_CONFIG_LOCATIONS=/nonexistent.properties,file:" + located,
                app.resolve("wgmon").toString())).directory(work.toFile()).redirectErrorStream(true).start();
        output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, process.exitValue(), output);
        assertTrue(output.startsWith("Invalid configuration: " + located + " line 1 (x) has 9002 characters"), output);
        assertEquals(0, run(jdk("17.0.9"), Map.of("WGMON_CDS", "off", "QUARKUS_CONFIG_LOCATIONS", config.toString()))
                .indexOf("java "), "a file of short lines starts java");
    }

    private List<String> flagsOf(String major) throws IOException {
        List<String> flags = new ArrayList<>();
        for (String raw : Files.readAllLines(app.resolve("jvm.options"))) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.matches("^\\d+(-\\d*)?:.*")) {
                String range = line.substring(0, line.indexOf(':'));
                line = line.substring(line.indexOf(':') + 1);
                int low = Integer.parseInt(range.split("-")[0]);
                int high = !range.contains("-") ? low : range.endsWith("-") ? 9999 : Integer.parseInt(range.split("-")[1]);
                int m = Integer.parseInt(major);
                if (m < low || m > high) {
                    continue;
                }
            }
            flags.add(line);
        }
        return flags;
    }

    private Path jdk(String version) throws IOException {
        Path home = Files.createDirectories(root.resolve("jdk-" + version));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"stand-in\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        // one line: the arguments separated by single spaces, as the JVM would receive them
        Files.writeString(java, "#!/bin/sh\nprintf 'java'; printf ' %s' \"$@\"; printf '\\n'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private String run(Path jdk, Map<String, String> env, String... args) throws Exception {
        return run(List.of(), jdk, env, args);
    }

    private String runAs(int uid, Path jdk, Map<String, String> env) throws Exception {
        chmod(app, "rwxr-xr-x");
        chmod(jdk, "rwxr-xr-x");
        return run(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups"), jdk, env);
    }

    private String run(List<String> as, Path jdk, Map<String, String> env, String... args) throws Exception {
        List<String> argv = new ArrayList<>(as);
        argv.addAll(List.of("env", "-i", "PATH=/usr/bin:/bin", "JAVA_HOME=" + jdk));
        env.forEach((name, value) -> argv.add(name + "=" + value));
        argv.add(app.resolve("wgmon").toString());
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output.strip();
    }
}
