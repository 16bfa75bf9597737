package io.wgmon.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Prometheus and Grafana files of deploy/ and the metric names their queries use. */
public final class MonitoringFiles {
    public static final Path ALERTS = Path.of("deploy/prometheus/wgmon-alerts.yml");
    public static final Path ALERT_TESTS = Path.of("deploy/prometheus/wgmon-alerts.test.yml");
    public static final Path DASHBOARD = Path.of("deploy/grafana/wgmon-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b(wgmon_[a-z_]+|wireguard_[a-z_]+)\\b");

    private MonitoringFiles() {
    }

    /** Every metric name in the dashboard's queries and its variables, histogram suffixes kept. */
    public static Set<String> dashboardMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                names.addAll(metricsIn(target.get("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            names.addAll(metricsIn(variable.path("query").asText()));
        }
        return names;
    }

    /** Every metric name in the alert rules' expressions. */
    public static Set<String> alertMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(ALERTS)) {
            if (!line.strip().startsWith("#")) {
                names.addAll(metricsIn(line.contains("summary") || line.contains("description") ? "" : line));
            }
        }
        return names;
    }

    static Set<String> metricsIn(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expression);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
