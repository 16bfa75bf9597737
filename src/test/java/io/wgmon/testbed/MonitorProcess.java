package io.wgmon.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged wgmon (target/quarkus-app/quarkus-run.jar, built by `mvn package` before the
 * integration tests) running inside a namespace, as an operator would run it.
 */
public final class MonitorProcess implements AutoCloseable {
    /** The API port unless env sets QUARKUS_HTTP_PORT. */
    public static final int DEFAULT_API_PORT = 18080;
    private static final String DEFAULT_HTTP_PORT = String.valueOf(DEFAULT_API_PORT);
    private static final String DEFAULT_MANAGEMENT_PORT = "18090";
    /** USER_HZ: what /proc reports CPU times in, 100 on every Linux architecture wgmon runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String namespace;
    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int managementPort;

    private MonitorProcess(String namespace, Process process, Path log, int httpPort, int managementPort) {
        this.namespace = namespace;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("wgmon.app.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with `./mvnw verify`");
        }
        return jar;
    }

    /**
     * Starts the monitor; its HTTP port (the API) is 18080 unless env sets QUARKUS_HTTP_PORT, its
     * management port (health, metrics) 18090 unless env sets QUARKUS_MANAGEMENT_PORT.
     */
    public static MonitorProcess start(String namespace, Map<String, String> env, Path log) throws IOException {
        return start(namespace, env, log, List.of());
    }

    /** As {@link #start(String, Map, Path)}, with JVM options after the default -Xmx128m (a later -Xmx wins). */
    public static MonitorProcess start(String namespace, Map<String, String> env, Path log, List<String> jvmOptions)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_HTTP_PORT", DEFAULT_HTTP_PORT);
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", DEFAULT_MANAGEMENT_PORT);
        builder.environment().putAll(env);
        int port = Integer.parseInt(builder.environment().get("QUARKUS_HTTP_PORT"));
        int managementPort = Integer.parseInt(builder.environment().get("QUARKUS_MANAGEMENT_PORT"));
        return new MonitorProcess(namespace, builder.start(), log, port, managementPort);
    }

    /** Waits until /q/health/ready answers 200 on the management port; fails with the monitor's log otherwise. */
    public void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("wgmon exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (getManagement("/q/health/ready").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("wgmon not ready after " + timeout + ":\n" + log());
    }

    public record Response(int status, String body) {
    }

    /** GET on the monitor's HTTP port (the API), from inside its namespace: from loopback. */
    public Response get(String path) throws Exception {
        return get(httpPort, path);
    }

    /** GET on the monitor's management port (health, metrics), from inside its namespace. */
    public Response getManagement(String path) throws Exception {
        return get(managementPort, path);
    }

    public int httpPort() {
        return httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    private Response get(int port, String path) throws Exception {
        return NetNs.call(namespace, () -> {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path)
                    .openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(3000);
            int status = connection.getResponseCode();
            InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            connection.disconnect();
            return new Response(status, text);
        });
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The JVM's process id (`ip netns exec` execs java in place). */
    public long pid() {
        return process.pid();
    }

    /** CPU time the process has used so far (user plus system, from /proc/PID/stat), in milliseconds. */
    public long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /** The sum of every sample of {@code series}, whatever its labels (scans are counted per cause). */
    public double metric(String series) throws Exception {
        double sum = 0;
        boolean found = false;
        for (String line : getManagement("/q/metrics").body().split("\n")) {
            if (line.startsWith(series + "{") || line.startsWith(series + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no " + series + " in /q/metrics");
        }
        return sum;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM, as a service manager stopping wgmon does, and returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("wgmon still running after " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
