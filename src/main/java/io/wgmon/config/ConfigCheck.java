package io.wgmon.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks what the config mapping's types cannot: ranges, relations between keys, URL schemes.
 * Each problem names the key, the value and what is allowed.
 */
public final class ConfigCheck {
    private static final Pattern INTERFACE_NAME = Pattern.compile("[^/\\s:]{1,15}");

    private ConfigCheck() {
    }

    public static List<String> problems(WgmonConfig config) {
        List<String> problems = new ArrayList<>();
        int group = config.nflog().group();
        if (group < 0 || group > 65535) {
            problems.add("wgmon.nflog.group=" + group + " is not allowed: use 0..65535");
        }
        WgmonConfig.Tracking tracking = config.tracking();
        positive(problems, "wgmon.tracking.idle-timeout", tracking.idleTimeout());
        if (tracking.tick().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("wgmon.tracking.tick=" + text(tracking.tick()) + " is not allowed: use 1s or more");
        } else if (tracking.tick().compareTo(tracking.idleTimeout()) > 0) {
            problems.add("wgmon.tracking.tick=" + text(tracking.tick()) + " is not allowed: it must not exceed "
                    + "wgmon.tracking.idle-timeout=" + text(tracking.idleTimeout()));
        }
        if (tracking.coalesce().isNegative() || tracking.coalesce().compareTo(Duration.ofSeconds(10)) > 0) {
            problems.add("wgmon.tracking.coalesce=" + text(tracking.coalesce()) + " is not allowed: use 0s..10s");
        }
        config.wireguard().interfaces().ifPresent(names -> names.stream()
                .filter(name -> !INTERFACE_NAME.matcher(name).matches())
                .forEach(name -> problems.add("wgmon.wireguard.interfaces contains '" + name
                        + "', which is not an interface name: 1..15 characters, no '/', ':' or spaces")));
        positive(problems, "wgmon.wireguard.request-timeout", config.wireguard().requestTimeout());
        if (config.monitor() == WgmonConfig.MonitorMode.BPF && config.bpf().filter().isBlank()) {
            problems.add("wgmon.bpf.filter is empty: give a pcap filter such as 'udp and dst port 3000'");
        }
        checkWebhook(problems, config.webhook());
        return problems;
    }

    private static void checkWebhook(List<String> problems, WgmonConfig.Webhook webhook) {
        for (URI url : webhook.url().orElse(List.of())) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                // only scheme and host: the rest of a webhook URL is often a token
                problems.add("wgmon.webhook.url has a value with scheme '" + url.getScheme() + "' and host '"
                        + url.getHost() + "', which is not allowed: use an absolute http:// or https:// URL");
            }
        }
        if (webhook.secret().map(String::isEmpty).orElse(false)) {
            problems.add("wgmon.webhook.secret is empty: leave it unset or give a secret");
        }
        positive(problems, "wgmon.webhook.connect-timeout", webhook.connectTimeout());
        positive(problems, "wgmon.webhook.request-timeout", webhook.requestTimeout());
        positive(problems, "wgmon.webhook.retry-initial", webhook.retryInitial());
        if (webhook.retryMax().compareTo(webhook.retryInitial()) < 0) {
            problems.add("wgmon.webhook.retry-max=" + text(webhook.retryMax()) + " is not allowed: it must be at least "
                    + "wgmon.webhook.retry-initial=" + text(webhook.retryInitial()));
        }
        if (webhook.queueSize() < 1) {
            problems.add("wgmon.webhook.queue-size=" + webhook.queueSize() + " is not allowed: use 1 or more");
        }
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(key + "=" + text(value) + " is not allowed: use a positive duration such as 5s");
        }
    }

    /** "250ms", "3s": durations as an operator writes them, not ISO-8601. */
    static String text(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
