package io.wgmon.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigCheckTest {

    static WgmonConfig config(Map<String, String> properties) {
        return TestWgmonConfig.of(properties);
    }

    private static List<String> problems(String... keyValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return ConfigCheck.problems(config(properties));
    }

    @Test
    void anUnknownEventTypeIsRefusedInOneLineNamingKeyAndTheTypes() {
        List<String> found = problems("wgmon.webhook.receivers.ops.url", "https://ops.example.org/hook",
                "wgmon.webhook.receivers.ops.events", "peer.connected,peer.roaming",
                "wgmon.webhook.events", "peer.disconnected");
        assertEquals(List.of("wgmon.webhook.receivers.ops.events contains 'peer.roaming', which is not an event type: "
                + "use peer.connected, peer.disconnected, peer.roamed, peer.endpoint-conflict, handshake.failed, "
                + "peer.stale, peer.down, peer.up, peer.first-seen, peer.quota"), found);
        assertEquals(1, problems("wgmon.webhook.events", "peer.connected,nope").size());
    }

    @Test
    void defaultsMatchTheContract() {
        WgmonConfig config = config(Map.of());
        assertEquals(WgmonConfig.MonitorMode.NFLOG, config.monitor());
        assertEquals(1, config.nflog().group());
        assertEquals("eth0", config.bpf().networkInterface());
        assertEquals("udp and dst port 3000 and (udp[8] = 1 or udp[8] = 2 or (udp[8] = 4 and udp[16:4] = 0 and udp[20:4] = 0))", config.bpf().filter());
        assertEquals(WgmonConfig.Backend.AUTO, config.wireguard().backend());
        assertEquals("/var/run/wireguard", config.wireguard().uapiDir().toString());
        assertEquals(Duration.ofSeconds(180), config.tracking().idleTimeout());
        assertEquals(Duration.ofSeconds(5), config.tracking().tick());
        assertEquals(Duration.ofMillis(250), config.tracking().coalesce());
        assertEquals(false, config.tracking().reportExisting());
        assertEquals(WgmonConfig.WebhookFormat.JSON, config.webhook().format());
        assertTrue(config.webhook().url().isEmpty());
        assertEquals(Optional.empty(), config.api().token(), "no token: the API answers loopback only");
        assertEquals(List.of(), ConfigCheck.problems(config));
    }

    @Test
    void anApiTokenIsLongEnoughAndABearerTokenAndNeverQuoted() {
        String shortToken = "s3cret-but-short";
        List<String> tooShort = problems("wgmon.api.token", shortToken.substring(0, 15));
        assertEquals(List.of("wgmon.api.token is shorter than 16 characters, which is not allowed: use a random "
                + "token such as the output of `openssl rand -base64 24`"), tooShort);
        List<String> badCharacter = problems("wgmon.api.token", "has a space in it, 0123");
        assertEquals(1, badCharacter.size(), badCharacter.toString());
        assertTrue(badCharacter.get(0).startsWith("wgmon.api.token has a character a bearer token cannot carry"));
        assertFalse(badCharacter.get(0).contains("space in it"), "the token itself is never printed");
        assertEquals(List.of(), problems("wgmon.api.token", shortToken));
        assertEquals(List.of(), problems("wgmon.api.token", "Kx3+9/a_b.c~d-EfGhIjKl=="));
        assertEquals(Optional.of(shortToken), config(Map.of("wgmon.api.token", shortToken)).api().token());
        for (String weak : new String[] {"aaaaaaaaaaaaaaaa", "abababababababababababab", "abcdeabcdeabcdea"}) {
            List<String> tooEasy = problems("wgmon.api.token", weak);
            assertEquals(1, tooEasy.size(), weak + ": " + tooEasy);
            assertTrue(tooEasy.get(0).startsWith("wgmon.api.token is too easy to guess"), tooEasy.get(0));
            assertFalse(tooEasy.get(0).contains(weak), "the token itself is never printed");
        }
        assertEquals(List.of(), problems("wgmon.api.token", "0123456789abcdef"), "16 hex digits are enough");
        // an empty variable (an optional Secret left empty) is no token at all
        assertEquals(Optional.empty(), config(Map.of("wgmon.api.token", "")).api().token());
        assertEquals(List.of(), problems("wgmon.api.token", ""));
        // the manifests list the access keys with empty values: unset, so their defaults apply
        WgmonConfig.Api empty = config(Map.of("wgmon.api.trust-loopback", "", "wgmon.api.allowed-hosts", "")).api();
        assertEquals(Optional.empty(), empty.trustLoopback());
        assertEquals(Optional.empty(), empty.allowedHosts());
        assertEquals(List.of("wgmon.api.session-lifetime=0s is not allowed: use a positive duration such as 5s"),
                problems("wgmon.api.session-lifetime", "0s"));
    }

    @Test
    void theOriginalsLowerCaseVariablesAreAliases() {
        WgmonConfig config = config(Map.of("webhook", "http://127.0.0.1:9/a,https://example.invalid/b",
                "monitor", "bpf", "group", "7", "interface", "ens3", "filter", "udp and dst port 51820"));
        assertEquals(List.of("http://127.0.0.1:9/a", "https://example.invalid/b"),
                config.webhook().url().orElseThrow());
        assertEquals(WgmonConfig.MonitorMode.BPF, config.monitor());
        assertEquals(7, config.nflog().group());
        assertEquals("ens3", config.bpf().networkInterface());
        assertEquals("udp and dst port 51820", config.bpf().filter());
    }

    /**
     * A URL that does not parse: the key and the reason, scheme and host at most; never the path or the
     * query, where Slack, Discord, Telegram and others keep the credential (SmallRye's SRCFG00039 printed
     * the whole value when the mapping converted it).
     */
    @Test
    void aReceiverUrlThatIsNotAUrlIsNamedByKeyAndReasonWithoutItsPathOrQuery() {
        String bad = "https://hooks.slack.com/services/T000/B000/SUPERSECRETPATHTOKEN?token=QUERYSECRET|x";
        for (String key : List.of("wgmon.webhook.url", "webhook", "wgmon.webhook.receivers.slack.url")) {
            String output = outputOf(() -> problems(key, bad));
            String named = key.equals("webhook") ? "wgmon.webhook.url" : key;
            assertEquals("[" + named + " has a value starting 'https://hooks.slack.com' that is not a URL: Illegal "
                    + "character in query at character 82 (the path and query are not printed): use an absolute "
                    + "http:// or https:// URL, percent-encoded]", output, key);
            assertFalse(output.contains("SUPERSECRETPATHTOKEN") || output.contains("QUERYSECRET"), output);
        }
        String userInfo = outputOf(() -> problems("wgmon.webhook.url", "https://user:PASSWORD@example.org/a b"));
        assertTrue(userInfo.contains("starting 'https://example.org'") && !userInfo.contains("PASSWORD"), userInfo);
    }

    /** Whatever the mapping or the check throws or returns, as one text. */
    private static String outputOf(java.util.function.Supplier<List<String>> check) {
        try {
            return check.get().toString();
        } catch (RuntimeException e) {
            StringBuilder text = new StringBuilder();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                text.append(cause).append('\n');
            }
            return text.toString();
        }
    }

    @Test
    void anOverlongSecretIsNeverQuotedAndAnOverlongUrlOnlyByItsSchemeAndHost() {
        ValueLengthLimit limit = new ValueLengthLimit();
        String secret = "SECRETVALUE".repeat(1000);
        String url = "https://hooks.slack.com/services/T000/B000/SUPERSECRETPATHTOKEN?token=" + secret;
        Map<String, String> values = Map.of("wgmon.api.token", secret, "wgmon.webhook.receivers.a.secret", secret,
                "wgmon.webhook.headers.Authorization", "Bearer " + secret, "wgmon.webhook.url", url,
                "wgmon.webhook.receivers.a.url", url, "wgmon.bpf.filter", "udp and " + "x".repeat(9000));
        Map<String, String> messages = new java.util.TreeMap<>();
        values.forEach((key, value) -> messages.put(key, assertThrows(IllegalArgumentException.class,
                () -> limit.getValue(new OneValue(value), key)).getMessage()));
        messages.forEach((key, message) -> {
            assertTrue(message.startsWith(key + " has a value of "), message);
            assertFalse(message.contains("SECRETVALUE") || message.contains("SUPERSECRETPATHTOKEN"), message);
        });
        assertTrue(messages.get("wgmon.api.token").endsWith("at most 8192 (a secret: not quoted)"));
        assertTrue(messages.get("wgmon.webhook.url").endsWith("at most 8192 (it starts 'https://hooks.slack.com...')"));
        assertTrue(messages.get("wgmon.bpf.filter").contains("(it starts 'udp and xxx"), "other values are quoted");
    }

    /** The interceptor's view of a source that has one value for every name. */
    private record OneValue(String value) implements io.smallrye.config.ConfigSourceInterceptorContext {
        @Override
        public io.smallrye.config.ConfigValue proceed(String name) {
            return io.smallrye.config.ConfigValue.builder().withName(name).withValue(value).build();
        }

        @Override
        public io.smallrye.config.ConfigValue restart(String name) {
            return proceed(name);
        }

        @Override
        public java.util.Iterator<String> iterateNames() {
            return java.util.Collections.emptyIterator();
        }
    }

    @Test
    void theWgmonKeysWinOverTheAliases() {
        WgmonConfig config = config(Map.of("group", "7", "wgmon.nflog.group", "9"));
        assertEquals(9, config.nflog().group());
    }

    @Test
    void eachProblemNamesKeyValueAndWhatIsAllowed() {
        assertEquals(List.of("wgmon.nflog.group=70000 is not allowed: use 0..65535"),
                problems("wgmon.nflog.group", "70000"));
        assertEquals(List.of("wgmon.nflog.group=-1 is not allowed: use 0..65535"), problems("group", "-1"));
        assertEquals(List.of("wgmon.tracking.tick=500ms is not allowed: use 1s or more"),
                problems("wgmon.tracking.tick", "500ms"));
        assertEquals(List.of("wgmon.tracking.tick=10s is not allowed: it must not exceed wgmon.tracking.idle-timeout=5s"),
                problems("wgmon.tracking.tick", "10s", "wgmon.tracking.idle-timeout", "5s"));
        assertEquals(List.of("wgmon.tracking.idle-timeout=0s is not allowed: use a positive duration such as 5s"),
                problems("wgmon.tracking.idle-timeout", "0s", "wgmon.tracking.tick", "1s").subList(0, 1));
        assertEquals(List.of("wgmon.webhook.url has a value with scheme 'ftp' and host 'example.org', which is not "
                + "allowed: use an absolute http:// or https:// URL"),
                problems("wgmon.webhook.url", "ftp://example.org/secret-token"));
        assertEquals(1, problems("wgmon.webhook.url", "discord.com/api/webhooks/1/t").size());
        assertEquals(List.of(), problems("wgmon.webhook.url", "HTTP://127.0.0.1:8080,https://discord.com/api/webhooks/1/t"));
        assertEquals(List.of("wgmon.wireguard.interfaces contains 'a/b', which is not an interface name: "
                + "1..15 characters, no '/', ':' or spaces"), problems("wgmon.wireguard.interfaces", "wg0,a/b"));
        assertEquals(List.of("wgmon.tracking.coalesce=11s is not allowed: use 0s..10s"),
                problems("wgmon.tracking.coalesce", "11s"));
        assertEquals(List.of("wgmon.webhook.retry-max=100ms is not allowed: it must be at least "
                + "wgmon.webhook.retry-initial=500ms"), problems("wgmon.webhook.retry-max", "100ms"));
        assertEquals(List.of("wgmon.webhook.queue-size=0 is not allowed: use 1 or more"),
                problems("wgmon.webhook.queue-size", "0"));
    }

    @Test
    void anUnknownMonitorIsRejectedWithTheAllowedValues() {
        RuntimeException error = assertThrows(RuntimeException.class, () -> config(Map.of("monitor", "pcap")));
        String message = String.valueOf(error.getMessage()) + error.getCause();
        assertTrue(message.contains("wgmon.monitor") && message.contains("pcap") && message.contains("nflog,bpf"),
                message);
    }

    @Test
    void theStoreIsOffByDefaultAndItsKeysAreChecked(@TempDir Path dir) throws IOException {
        assertTrue(config(Map.of()).store().dir().isEmpty());
        assertEquals(Optional.empty(), StoreFolder.of(config(Map.of())));
        Path file = Files.writeString(dir.resolve("a-file"), "");
        assertEquals(List.of("wgmon.store.dir=" + file + " is not a directory: give a directory (it is created "
                + "when missing)"), problems("wgmon.store.dir", file.toString()));
        assertEquals(List.of("wgmon.store.dir=" + dir.resolve("a") + " and wgmon.webhook.spool-dir="
                        + dir.resolve("b") + " name different folders: set wgmon.store.dir only (wgmon.webhook.spool-dir "
                        + "is its deprecated alias)"),
                problems("wgmon.store.dir", dir.resolve("a").toString(), "wgmon.webhook.spool-dir",
                        dir.resolve("b").toString()));
        assertEquals(List.of(), problems("wgmon.store.dir", dir.resolve("a").toString(), "wgmon.webhook.spool-dir",
                dir.resolve("a").toString()));
        assertEquals(Optional.of(new StoreFolder("wgmon.webhook.spool-dir", dir.resolve("b"))),
                StoreFolder.of(config(Map.of("wgmon.webhook.spool-dir", dir.resolve("b").toString()))),
                "the deprecated alias still names the store");
        assertEquals(Optional.of(new StoreFolder("wgmon.store.dir", dir.resolve("a"))),
                StoreFolder.of(config(Map.of("wgmon.store.dir", dir.resolve("a").toString()))));
    }

    @Test
    void webhookDeliveryDefaults() {
        WgmonConfig.Webhook webhook = config(Map.of()).webhook();
        assertTrue(webhook.spoolDir().isEmpty());
        assertEquals(16L * 1024 * 1024, webhook.spoolMaxSize().asLongValue());
        assertEquals(Duration.ofHours(24), webhook.maxAge());
        assertEquals(5, webhook.circuitThreshold());
        assertEquals(Duration.ofSeconds(2), webhook.connectTimeout());
        assertEquals(Duration.ofSeconds(5), webhook.requestTimeout());
        assertTrue(webhook.tls().caFile().isEmpty());
        assertFalse(webhook.tls().insecureSkipVerify());
        assertEquals(Map.of(), webhook.receivers());
        assertEquals(Map.of(), webhook.headers());
    }

    @Test
    void namedReceiversMapWithTheirOwnFormatSecretAndHeaders() {
        WgmonConfig.Webhook webhook = config(Map.of(
                "wgmon.webhook.receivers.discord.url", "https://discord.com/api/webhooks/1/t",
                "wgmon.webhook.receivers.discord.format", "form",
                "wgmon.webhook.receivers.api.url", "https://api.example.org/hook",
                "wgmon.webhook.receivers.api.secret", "s3cret",
                "wgmon.webhook.receivers.api.headers.Authorization", "Bearer abc",
                "wgmon.webhook.receivers.api.headers.X-Api-Key", "k")).webhook();
        assertEquals(Set.of("discord", "api"), webhook.receivers().keySet());
        WgmonConfig.Webhook.Receiver discord = webhook.receivers().get("discord");
        assertEquals("https://discord.com/api/webhooks/1/t", discord.url());
        assertEquals(Optional.of(WgmonConfig.WebhookFormat.FORM), discord.format());
        assertEquals(Optional.empty(), discord.secret());
        assertEquals(Map.of(), discord.headers());
        WgmonConfig.Webhook.Receiver api = webhook.receivers().get("api");
        assertEquals(Optional.empty(), api.format());
        assertEquals(Optional.of("s3cret"), api.secret());
        assertEquals(Map.of("Authorization", "Bearer abc", "X-Api-Key", "k"), api.headers());
    }

    @Test
    void webhookDeliveryProblemsNameKeyValueAndWhatIsAllowed(@TempDir Path dir) throws Exception {
        assertEquals(List.of("wgmon.webhook.receivers.a.b has the name 'a.b', which is not allowed: use 1..64 "
                        + "letters, digits, '-' or '_' (it names the receiver's spool directory and metrics)"),
                problems("wgmon.webhook.receivers.\"a.b\".url", "https://example.org/"));
        assertEquals(List.of("wgmon.webhook.receivers.x.url has a value with scheme 'ftp' and host 'example.org', "
                        + "which is not allowed: use an absolute http:// or https:// URL"),
                problems("wgmon.webhook.receivers.x.url", "ftp://example.org/t"));
        assertEquals(List.of("wgmon.webhook.headers has the header name 'Bad Header', which is not allowed: use an "
                        + "HTTP token such as Authorization or X-Api-Key"),
                problems("wgmon.webhook.headers.\"Bad Header\"", "v"));
        assertEquals(List.of("wgmon.webhook.receivers.x.headers.X-Wgmon-Delivery is not allowed: wgmon sets that "
                        + "header itself"),
                problems("wgmon.webhook.receivers.x.url", "https://example.org/",
                        "wgmon.webhook.receivers.x.headers.X-Wgmon-Delivery", "1"));
        assertEquals(List.of("wgmon.webhook.headers.Content-Type is not allowed: wgmon sets that header itself"),
                problems("wgmon.webhook.headers.Content-Type", "text/plain"));
        assertEquals(List.of("wgmon.webhook.headers.Authorization has a line break or NUL in its value, which is "
                + "not allowed"), problems("wgmon.webhook.headers.Authorization", "a\r\nX-Evil: 1"));
        assertEquals(List.of("wgmon.webhook.spool-max-size=1024 bytes is not allowed: use 64K or more"),
                problems("wgmon.webhook.spool-max-size", "1K"));
        assertEquals(List.of("wgmon.webhook.max-age=0s is not allowed: use a positive duration such as 5s"),
                problems("wgmon.webhook.max-age", "0s"));
        assertEquals(List.of("wgmon.webhook.circuit-threshold=0 is not allowed: use 1 or more"),
                problems("wgmon.webhook.circuit-threshold", "0"));
        Path missing = dir.resolve("missing.pem");
        assertEquals(List.of("wgmon.webhook.tls.ca-file=" + missing + " is not a readable file: give a PEM file of "
                + "CA certificates"), problems("wgmon.webhook.tls.ca-file", missing.toString()));
        Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----");
        assertEquals(List.of("wgmon.webhook.tls.ca-file and wgmon.webhook.tls.insecure-skip-verify=true are both "
                        + "set: a CA file is pointless when certificates are not checked; set one of them"),
                problems("wgmon.webhook.tls.ca-file", pem.toString(), "wgmon.webhook.tls.insecure-skip-verify", "true"));
        assertEquals(List.of("wgmon.webhook.spool-dir=" + pem + " is not a directory: give a directory (it is "
                + "created when missing)"), problems("wgmon.webhook.spool-dir", pem.toString()));
        assertEquals(List.of(), problems("wgmon.webhook.spool-dir", dir.resolve("new").toString(),
                "wgmon.webhook.spool-max-size", "64K", "wgmon.webhook.tls.ca-file", pem.toString(),
                "wgmon.webhook.receivers.ok_1.url", "https://example.org/",
                "wgmon.webhook.receivers.ok_1.headers.Authorization", "Bearer x"));
    }

    @Test
    void aLongValueIsQuotedToOneHundredCharacters() {
        String name = "x".repeat(5000);
        assertEquals(List.of("wgmon.wireguard.interfaces contains '" + "x".repeat(100) + "... (5000 characters)', "
                + "which is not an interface name: 1..15 characters, no '/', ':' or spaces"),
                problems("wgmon.wireguard.interfaces", name));
        assertEquals("wg0", ConfigCheck.cut("wg0"));
    }
}
