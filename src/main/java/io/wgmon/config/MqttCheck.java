package io.wgmon.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The {@code wgmon.mqtt.*} part of {@link ConfigCheck}: each problem names the key and what is allowed. */
final class MqttCheck {
    /** MQTT's keepalive is a 16-bit count of seconds. */
    private static final Duration MAX_KEEPALIVE = Duration.ofSeconds(65535);

    private MqttCheck() {
    }

    static void check(List<String> problems, WgmonConfig.Mqtt mqtt) {
        if (mqtt.host().isEmpty()) {
            return;
        }
        if (mqtt.host().get().isBlank() || mqtt.host().get().chars().anyMatch(c -> c <= ' ')) {
            problems.add("wgmon.mqtt.host='" + ConfigCheck.cut(mqtt.host().get())
                    + "' is not allowed: give a host name or address without spaces");
        }
        mqtt.port().filter(port -> port < 1 || port > 65535).ifPresent(port ->
                problems.add("wgmon.mqtt.port=" + port + " is not allowed: use 1..65535"));
        topicLevels(problems, "wgmon.mqtt.topic-prefix", mqtt.topicPrefix());
        if (mqtt.discovery()) {
            topicLevels(problems, "wgmon.mqtt.discovery-prefix", mqtt.discoveryPrefix());
        }
        if (mqtt.keepalive().isNegative() || mqtt.keepalive().compareTo(MAX_KEEPALIVE) > 0
                || mqtt.keepalive().toMillis() % 1000 != 0) {
            problems.add("wgmon.mqtt.keepalive=" + ConfigCheck.text(mqtt.keepalive())
                    + " is not allowed: use whole seconds, 0s (off) to 65535s");
        }
        if (mqtt.retryInitial().isNegative() || mqtt.retryInitial().isZero()
                || mqtt.retryMax().compareTo(mqtt.retryInitial()) < 0) {
            problems.add("wgmon.mqtt.retry-initial=" + ConfigCheck.text(mqtt.retryInitial()) + " and wgmon.mqtt.retry-max="
                    + ConfigCheck.text(mqtt.retryMax()) + " are not allowed: use 0 < retry-initial <= retry-max");
        }
        if (mqtt.clientCert().isPresent() != mqtt.clientKey().isPresent()) {
            problems.add("wgmon.mqtt.client-cert and wgmon.mqtt.client-key go together: set both or neither");
        }
        if (!mqtt.tls() && (mqtt.caFile().isPresent() || mqtt.clientCert().isPresent())) {
            problems.add("wgmon.mqtt.ca-file and wgmon.mqtt.client-cert need wgmon.mqtt.tls=true");
        }
        if (mqtt.password().isPresent() && mqtt.passwordFile().isPresent()) {
            problems.add("wgmon.mqtt.password and wgmon.mqtt.password-file are both set: use one");
        }
        if ((mqtt.password().isPresent() || mqtt.passwordFile().isPresent()) && mqtt.username().isEmpty()) {
            problems.add("wgmon.mqtt.password needs wgmon.mqtt.username");
        }
        readable(problems, "wgmon.mqtt.ca-file", mqtt.caFile());
        readable(problems, "wgmon.mqtt.client-cert", mqtt.clientCert());
        readable(problems, "wgmon.mqtt.client-key", mqtt.clientKey());
        readable(problems, "wgmon.mqtt.password-file", mqtt.passwordFile());
        if (!mqtt.protocol().equals("5") && !mqtt.protocol().equals("3.1.1")) {
            problems.add("wgmon.mqtt.protocol='" + ConfigCheck.cut(mqtt.protocol())
                    + "' is not allowed: use 5 or 3.1.1");
        }
        mqtt.clientId().filter(id -> id.isEmpty() || id.length() > 64 || id.chars().anyMatch(c -> c <= ' '))
                .ifPresent(id -> problems.add("wgmon.mqtt.client-id='" + ConfigCheck.cut(id)
                        + "' is not allowed: 1..64 characters, no spaces"));
    }

    /**
     * A prefix other topics are built under: one line, no wildcard ({@code +}, {@code #}), no empty level,
     * not starting with {@code $} (the broker's own topics).
     */
    private static void topicLevels(List<String> problems, String key, String prefix) {
        String why = null;
        if (prefix.isEmpty() || prefix.length() > 100) {
            why = "1..100 characters";
        } else if (prefix.indexOf('+') >= 0 || prefix.indexOf('#') >= 0) {
            why = "'+' and '#' are MQTT wildcards, not allowed in a topic";
        } else if (prefix.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            why = "one line, no control characters";
        } else if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")) {
            why = "no empty topic level (a leading, trailing or double '/')";
        } else if (prefix.startsWith("$")) {
            why = "topics starting with '$' are the broker's";
        }
        if (why != null) {
            problems.add(key + "='" + ConfigCheck.cut(prefix.replaceAll("\\p{Cntrl}", "?")) + "' is not allowed: "
                    + why);
        }
    }

    private static void readable(List<String> problems, String key, Optional<Path> file) {
        file.filter(path -> !Files.isReadable(path)).ifPresent(path ->
                problems.add(key + "=" + ConfigCheck.cut(path) + " cannot be read"));
    }
}
