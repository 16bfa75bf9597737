package io.wgmon.config;

import io.wgmon.tracking.PeerEventType;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks what the config mapping's types cannot: ranges, relations between keys, URL schemes.
 * Each problem names the key, the value and what is allowed.
 */
public final class ConfigCheck {
    private static final Pattern INTERFACE_NAME = Pattern.compile("[^/\\s:]{1,15}");
    private static final Pattern RECEIVER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> RESERVED_HEADERS =
            Set.of("content-type", "content-length", "host", "user-agent", "transfer-encoding", "connection");
    private static final long MIN_SPOOL_SIZE = 64 * 1024;
    /** RFC 6750's b64token: what a client can put after {@code Bearer }. */
    private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final int MIN_TOKEN_LENGTH = 16;
    private static final int MIN_TOKEN_BITS = 40;
    /** Characters of a value quoted in a message. */
    static final int QUOTED = 100;

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
        if (tracking.staleAfter().isNegative()) {
            problems.add("wgmon.tracking.stale-after=" + text(tracking.staleAfter()) + " is not allowed: use 0s (off) "
                    + "or a positive duration such as 30d");
        }
        if (tracking.coalesce().isNegative() || tracking.coalesce().compareTo(Duration.ofSeconds(10)) > 0) {
            problems.add("wgmon.tracking.coalesce=" + text(tracking.coalesce()) + " is not allowed: use 0s..10s");
        }
        config.wireguard().interfaces().ifPresent(names -> names.stream()
                .filter(name -> !INTERFACE_NAME.matcher(name).matches())
                .forEach(name -> problems.add("wgmon.wireguard.interfaces contains '" + cut(name)
                        + "', which is not an interface name: 1..15 characters, no '/', ':' or spaces")));
        positive(problems, "wgmon.wireguard.request-timeout", config.wireguard().requestTimeout());
        if (config.monitor() == WgmonConfig.MonitorMode.BPF && config.bpf().filter().isBlank()) {
            problems.add("wgmon.bpf.filter is empty: give a pcap filter such as 'udp and dst port 3000 and (udp[8] = 1 or udp[8] = 2 or (udp[8] = 4 and udp[16:4] = 0 and udp[20:4] = 0))'");
        }
        checkWebhook(problems, config.webhook());
        checkStore(problems, config);
        checkApiToken(problems, config.api());
        positive(problems, "wgmon.api.session-lifetime", config.api().sessionLifetime());
        return problems;
    }

    /**
     * A floor against mistakes, not a measure of randomness: a token's length times log2 of the number
     * of different characters in it. 16 equal characters give 0, {@code openssl rand -base64 24} about 150.
     */
    static double estimatedBits(String token) {
        long distinct = token.codePoints().distinct().count();
        return distinct < 2 ? 0 : token.codePointCount(0, token.length()) * (Math.log(distinct) / Math.log(2));
    }

    /** Never quotes the token: a start-up error line ends up in logs. */
    private static void checkApiToken(List<String> problems, WgmonConfig.Api api) {
        api.token().ifPresent(token -> {
            if (token.length() < MIN_TOKEN_LENGTH) {
                problems.add("wgmon.api.token is shorter than " + MIN_TOKEN_LENGTH + " characters, which is not "
                        + "allowed: use a random token such as the output of `openssl rand -base64 24`");
            } else if (estimatedBits(token) < MIN_TOKEN_BITS) {
                problems.add("wgmon.api.token is too easy to guess (it repeats few different characters: under "
                        + MIN_TOKEN_BITS + " bits by length x log2(distinct characters)), which is not allowed: use a "
                        + "random token such as the output of `openssl rand -base64 24`");
            } else if (!BEARER_TOKEN.matcher(token).matches()) {
                problems.add("wgmon.api.token has a character a bearer token cannot carry: use letters, digits "
                        + "and -._~+/ (= only at the end), such as the output of `openssl rand -base64 24`");
            }
        });
    }

    private static void checkWebhook(List<String> problems, WgmonConfig.Webhook webhook) {
        for (String url : webhook.url().orElse(List.of())) {
            checkUrl(problems, "wgmon.webhook.url", url);
        }
        if (webhook.secret().map(String::isEmpty).orElse(false)) {
            problems.add("wgmon.webhook.secret is empty: leave it unset or give a secret");
        }
        checkHeaders(problems, "wgmon.webhook.headers", webhook.headers());
        checkEvents(problems, "wgmon.webhook.events", webhook.events());
        webhook.receivers().forEach((name, receiver) -> {
            String prefix = "wgmon.webhook.receivers." + name;
            if (!RECEIVER_NAME.matcher(name).matches()) {
                problems.add(prefix + " has the name '" + cut(name) + "', which is not allowed: use 1..64 letters, "
                        + "digits, '-' or '_' (it names the receiver's spool directory and metrics)");
            }
            checkUrl(problems, prefix + ".url", receiver.url());
            if (receiver.secret().map(String::isEmpty).orElse(false)) {
                problems.add(prefix + ".secret is empty: leave it unset or give a secret");
            }
            checkHeaders(problems, prefix + ".headers", receiver.headers());
            receiver.events().ifPresent(events -> checkEvents(problems, prefix + ".events", events));
            checkBody(problems, prefix, receiver);
        });
        checkSpool(problems, webhook);
        if (webhook.circuitThreshold() < 1) {
            problems.add("wgmon.webhook.circuit-threshold=" + webhook.circuitThreshold()
                    + " is not allowed: use 1 or more");
        }
        webhook.tls().caFile().ifPresent(caFile -> {
            if (!Files.isRegularFile(caFile) || !Files.isReadable(caFile)) {
                problems.add("wgmon.webhook.tls.ca-file=" + cut(caFile) + " is not a readable file: give a PEM file of "
                        + "CA certificates");
            }
            if (webhook.tls().insecureSkipVerify()) {
                problems.add("wgmon.webhook.tls.ca-file and wgmon.webhook.tls.insecure-skip-verify=true are both set: "
                        + "a CA file is pointless when certificates are not checked; set one of them");
            }
        });
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

    private static void checkEvents(List<String> problems, String key, List<String> events) {
        for (String name : events) {
            if (PeerEventType.ofWireName(name.strip()).isEmpty()) {
                problems.add(key + " contains '" + cut(name) + "', which is not an event type: use "
                        + Arrays.stream(PeerEventType.values()).map(PeerEventType::wireName)
                        .collect(Collectors.joining(", ")));
            }
        }
    }

    /** At most one of preset, template, template-file and format; what a preset or a signature scheme needs. */
    private static void checkBody(List<String> problems, String prefix, WgmonConfig.Webhook.Receiver receiver) {
        List<String> bodies = new ArrayList<>();
        receiver.preset().ifPresent(preset -> bodies.add(prefix + ".preset"));
        receiver.template().ifPresent(template -> bodies.add(prefix + ".template"));
        receiver.templateFile().ifPresent(file -> bodies.add(prefix + ".template-file"));
        receiver.format().ifPresent(format -> bodies.add(prefix + ".format"));
        if (bodies.size() > 1) {
            problems.add(String.join(" and ", bodies) + " are both set: a receiver's body comes from one of them");
        }
        receiver.templateFile().ifPresent(file -> {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                problems.add(prefix + ".template-file=" + file + " is not a readable file: give a Qute template");
            }
        });
        if (receiver.preset().orElse(null) == WgmonConfig.ChatPreset.TELEGRAM && receiver.chatId().isEmpty()) {
            problems.add(prefix + ".preset=telegram needs " + prefix + ".chat-id: the chat the bot writes to");
        }
        if (receiver.signature() == WgmonConfig.SignatureScheme.STANDARD
                && !receiver.secret().map(ConfigCheck::isWhsec).orElse(false)) {
            problems.add(prefix + ".signature=standard needs " + prefix + ".secret=whsec_<base64 key> (a Standard "
                    + "Webhooks secret)");
        }
    }

    private static boolean isWhsec(String secret) {
        if (!secret.startsWith("whsec_") || secret.length() == "whsec_".length()) {
            return false;
        }
        try {
            java.util.Base64.getDecoder().decode(secret.substring("whsec_".length()));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void checkUrl(List<String> problems, String key, String text) {
        try {
            url(key, text);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    /**
     * A receiver URL of configuration, checked; quotes only scheme and host in the error, since the rest
     * of a webhook URL is often a token.
     *
     * @throws IllegalArgumentException one line naming {@code key} and what is wrong
     */
    public static URI url(String key, String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            String origin = SecretValues.origin(text);
            throw new IllegalArgumentException(key + " has a value " + (origin.isEmpty() ? "" : "starting '" + origin
                    + "' ") + "that is not a URL: " + e.getReason() + " at character " + (e.getIndex() + 1)
                    + " (the path and query are not printed): use an absolute http:// or https:// URL, "
                    + "percent-encoded");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException(key + " has a value with scheme '" + cut(url.getScheme())
                    + "' and host '" + cut(url.getHost()) + "', which is not allowed: use an absolute http:// or "
                    + "https:// URL");
        }
        return url;
    }

    private static void checkHeaders(List<String> problems, String key, Map<String, String> headers) {
        headers.forEach((name, value) -> {
            if (!HEADER_NAME.matcher(name).matches()) {
                problems.add(key + " has the header name '" + cut(name) + "', which is not allowed: use an HTTP token "
                        + "such as Authorization or X-Api-Key");
            } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                    || name.toLowerCase(Locale.ROOT).startsWith("x-wgmon-")) {
                problems.add(key + "." + name + " is not allowed: wgmon sets that header itself");
            } else if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                // the value is not quoted: it is often a token
                problems.add(key + "." + name + " has a line break or NUL in its value, which is not allowed");
            }
        });
    }

    private static void checkStore(List<String> problems, WgmonConfig config) {
        Optional<Path> dir = config.store().dir();
        Optional<Path> alias = config.webhook().spoolDir();
        if (dir.isPresent() && alias.isPresent() && !dir.get().normalize().equals(alias.get().normalize())) {
            problems.add(StoreFolder.KEY + "=" + cut(dir.get()) + " and " + StoreFolder.ALIAS + "=" + cut(alias.get())
                    + " name different folders: set " + StoreFolder.KEY + " only (" + StoreFolder.ALIAS
                    + " is its deprecated alias)");
        }
        StoreFolder.of(config).ifPresent(folder -> {
            if (Files.exists(folder.dir()) && !Files.isDirectory(folder.dir())) {
                problems.add(folder.key() + "=" + cut(folder.dir()) + " is not a directory: give a directory (it is "
                        + "created when missing)");
            }
        });
    }

    private static void checkSpool(List<String> problems, WgmonConfig.Webhook webhook) {
        long maxSize = webhook.spoolMaxSize().asLongValue();
        if (maxSize < MIN_SPOOL_SIZE) {
            problems.add("wgmon.webhook.spool-max-size=" + maxSize + " bytes is not allowed: use 64K or more");
        }
        positive(problems, "wgmon.webhook.max-age", webhook.maxAge());
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(key + "=" + text(value) + " is not allowed: use a positive duration such as 5s");
        }
    }

    /** A value as a message quotes it: at most {@link #QUOTED} characters, then how long it really is. */
    public static String cut(Object value) {
        String text = String.valueOf(value);
        return text.length() <= QUOTED ? text : text.substring(0, QUOTED) + "... (" + text.length() + " characters)";
    }

    /** "250ms", "3s": durations as an operator writes them, not ISO-8601. */
    static String text(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
