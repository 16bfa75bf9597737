package io.wgmon.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's real {@code prometheus} inside a namespace, scraping every second with the scrape
 * configuration given, asked through its HTTP API from inside the namespace.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORT = 19090;

    private final String namespace;
    private final Process process;
    private final Path directory;

    private PrometheusServer(String namespace, Process process, Path directory) {
        this.namespace = namespace;
        this.process = process;
        this.directory = directory;
    }

    /** @param scrapeConfigs the YAML list items under {@code scrape_configs:}, indented by two spaces */
    public static PrometheusServer startIn(String namespace, String scrapeConfigs, Path directory) throws Exception {
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n" + scrapeConfigs);
        Process process = new ProcessBuilder("ip", "netns", "exec", namespace, "prometheus",
                "--config.file=" + config, "--storage.tsdb.path=" + directory.resolve("data"),
                "--web.listen-address=127.0.0.1:" + PORT, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(namespace, process, directory);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + server.log());
            }
            try {
                if (server.getJson("/-/ready") != null) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        server.close();
        throw new IllegalStateException("prometheus not ready: " + server.log());
    }

    /** The instant vector of a PromQL query, as the API's data.result array. */
    public JsonNode query(String promql) throws Exception {
        JsonNode reply = getJson("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(reply.path("status").asText())) {
            throw new IllegalStateException(promql + ": " + reply);
        }
        return reply.at("/data/result");
    }

    /** The single value of a query, or null while it has no series. */
    public Double value(String promql) throws Exception {
        JsonNode result = query(promql);
        return result.isEmpty() ? null : Double.valueOf(result.get(0).at("/value/1").asText());
    }

    /** The active scrape targets, each with its job, health and last error. */
    public JsonNode targets() throws Exception {
        return getJson("/api/v1/targets").at("/data/activeTargets");
    }

    private JsonNode getJson(String path) throws Exception {
        return NetNs.call(namespace, () -> {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + PORT + path).openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            int status = connection.getResponseCode();
            if (path.equals("/-/ready")) {
                return status == 200 ? JSON.createObjectNode() : null;
            }
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                return JSON.readTree(body);
            }
        });
    }

    public String log() throws IOException {
        Path log = directory.resolve("prometheus.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(directory.resolve("data"))) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException gone) {
            // nothing stored
        }
    }
}
