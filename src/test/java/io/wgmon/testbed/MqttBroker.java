package io.wgmon.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's mosquitto, run by a test in a network namespace: TLS on a loopback port with a certificate
 * for {@code localhost} signed by a CA the test makes with openssl, a password file made with
 * mosquitto_passwd, persistence on (retained messages and persistent sessions survive a stop and start),
 * no anonymous clients; a client certificate from the same CA ({@code client.pem}, {@code client.key}) for
 * brokers started with {@code require_certificate true}. Stop, start and SIGKILL for outage tests.
 */
public final class MqttBroker implements AutoCloseable {
    public static final String USER = "wgmon";
    public static final String PASSWORD = "broker-test-password";

    private final String namespace;
    private final Path dir;
    private final int port;
    private final List<String> extraConfig;
    private Process process;

    private MqttBroker(String namespace, Path dir, int port, List<String> extraConfig) {
        this.namespace = namespace;
        this.dir = dir;
        this.port = port;
        this.extraConfig = extraConfig;
    }

    /**
     * Checks for mosquitto, makes the CA, certificates and password file, and starts the broker.
     *
     * @param namespace null: the test's own (on a free loopback port), for in-process clients
     */
    public static MqttBroker startIn(String namespace, int port, List<String> extraConfig) throws Exception {
        LivePrerequisites.require("mosquitto", "mosquitto_sub", "mosquitto_passwd", "openssl");
        Path dir = Files.createTempDirectory("wgmon-mqtt-");
        MqttBroker broker = new MqttBroker(namespace, dir, port, extraConfig);
        try {
            broker.makeTlsMaterial();
            Shell.run(List.of("mosquitto_passwd", "-b", "-c", dir.resolve("passwd").toString(), USER, PASSWORD));
            Files.writeString(dir.resolve("password"), PASSWORD + "\n");
            broker.writeConfig();
            broker.start();
            return broker;
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    private void makeTlsMaterial() {
        String d = dir.toString();
        Shell.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "2", "-subj", "/CN=wgmon test CA", "-keyout", d + "/ca.key", "-out", d + "/ca.pem"));
        certificate("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        certificate("client", "/CN=wgmon-client", "extendedKeyUsage=clientAuth");
        // a CA nobody trusts, for the bad-certificate case
        Shell.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "2", "-subj", "/CN=other CA", "-keyout", d + "/other-ca.key", "-out",
                d + "/other-ca.pem"));
    }

    private void certificate(String name, String subject, String extension) {
        String d = dir.toString();
        Shell.run(List.of("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-subj", subject, "-keyout", d + "/" + name + ".key", "-out", d + "/" + name + ".csr"));
        Shell.run(List.of("openssl", "x509", "-req", "-in", d + "/" + name + ".csr", "-CA", d + "/ca.pem", "-CAkey",
                d + "/ca.key", "-CAcreateserial", "-days", "2", "-extfile", "/dev/stdin", "-out",
                d + "/" + name + ".pem"), extension + "\n");
    }

    private void writeConfig() throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "user root",
                "persistence true",
                "persistence_location " + dir + "/",
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type all",
                "per_listener_settings false",
                "allow_anonymous false",
                "password_file " + dir.resolve("passwd"),
                "listener " + port + " 127.0.0.1",
                "cafile " + dir.resolve("ca.pem"),
                "certfile " + dir.resolve("server.pem"),
                "keyfile " + dir.resolve("server.key")));
        lines.addAll(extraConfig);
        Files.write(dir.resolve("mosquitto.conf"), lines);
    }

    /** Starts (again) and waits until the port answers. */
    public void start() throws Exception {
        process = new ProcessBuilder(inNamespace(namespace, "mosquitto", "-c", dir.resolve("mosquitto.conf").toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + log());
            }
            try {
                Shell.run(inNamespace(namespace, "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port));
                return;
            } catch (IllegalStateException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("mosquitto not listening on " + port + ": " + log());
    }

    /** {@code argv}, run in the namespace (none: the test's own). */
    static List<String> inNamespace(String namespace, String... argv) {
        List<String> command = new ArrayList<>();
        if (namespace != null) {
            command.addAll(List.of("ip", "netns", "exec", namespace));
        }
        command.addAll(List.of(argv));
        return command;
    }

    /** SIGTERM: mosquitto saves its persistence file and exits. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    public String log() {
        try {
            Path log = dir.resolve("mosquitto.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read the broker's log: " + e + ")";
        }
    }

    /**
     * A subscriber to {@code filter} (QoS 1), in the broker's namespace, as {@code mosquitto_sub}; it shows the
     * test's client certificate when the broker asks for one ({@code require_certificate true}).
     */
    public MqttSubscriber subscribe(String filter, String clientId) throws IOException {
        return MqttSubscriber.start(namespace, port, dir, USER, PASSWORD, filter, clientId);
    }

    /** Publishes one message with mosquitto_pub (QoS 1), as Home Assistant publishes its birth. */
    public void publish(String topic, String payload, boolean retain) {
        List<String> argv = inNamespace(namespace, "mosquitto_pub", "-h", "localhost", "-p", String.valueOf(port),
                "--cafile", dir.resolve("ca.pem").toString(), "--cert", dir.resolve("client.pem").toString(), "--key",
                dir.resolve("client.key").toString(), "-u", USER, "-P", PASSWORD, "-q", "1", "-t", topic, "-m",
                payload);
        if (retain) {
            argv.add("-r");
        }
        Shell.run(argv);
    }

    /** wgmon's settings for this broker: TLS with the test CA, the user and its password file. */
    public java.util.Map<String, String> wgmonEnv() {
        return new java.util.HashMap<>(java.util.Map.of(
                "WGMON_MQTT_HOST", "localhost",
                "WGMON_MQTT_PORT", String.valueOf(port),
                "WGMON_MQTT_TLS", "true",
                "WGMON_MQTT_CA_FILE", dir.resolve("ca.pem").toString(),
                "WGMON_MQTT_USERNAME", USER,
                "WGMON_MQTT_PASSWORD_FILE", dir.resolve("password").toString(),
                "WGMON_MQTT_RETRY_INITIAL", "500ms",
                "WGMON_MQTT_RETRY_MAX", "2s"));
    }

    public Path dir() {
        return dir;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        stop();
        try (var files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
