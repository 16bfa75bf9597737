package io.wgmon.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigCheckTest {

    static WgmonConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(WgmonConfig.class)
                .withInterceptors(new LegacyEnvAliases())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(WgmonConfig.class);
    }

    private static List<String> problems(String... keyValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return ConfigCheck.problems(config(properties));
    }

    @Test
    void defaultsMatchTheContract() {
        WgmonConfig config = config(Map.of());
        assertEquals(WgmonConfig.MonitorMode.NFLOG, config.monitor());
        assertEquals(1, config.nflog().group());
        assertEquals("eth0", config.bpf().networkInterface());
        assertEquals("udp and dst port 3000", config.bpf().filter());
        assertEquals(WgmonConfig.Backend.AUTO, config.wireguard().backend());
        assertEquals("/var/run/wireguard", config.wireguard().uapiDir().toString());
        assertEquals(Duration.ofSeconds(180), config.tracking().idleTimeout());
        assertEquals(Duration.ofSeconds(5), config.tracking().tick());
        assertEquals(Duration.ofMillis(250), config.tracking().coalesce());
        assertEquals(false, config.tracking().reportExisting());
        assertEquals(WgmonConfig.WebhookFormat.JSON, config.webhook().format());
        assertTrue(config.webhook().url().isEmpty());
        assertEquals(List.of(), ConfigCheck.problems(config));
    }

    @Test
    void theOriginalsLowerCaseVariablesAreAliases() {
        WgmonConfig config = config(Map.of("webhook", "http://127.0.0.1:9/a,https://example.invalid/b",
                "monitor", "bpf", "group", "7", "interface", "ens3", "filter", "udp and dst port 51820"));
        assertEquals(List.of(URI.create("http://127.0.0.1:9/a"), URI.create("https://example.invalid/b")),
                config.webhook().url().orElseThrow());
        assertEquals(WgmonConfig.MonitorMode.BPF, config.monitor());
        assertEquals(7, config.nflog().group());
        assertEquals("ens3", config.bpf().networkInterface());
        assertEquals("udp and dst port 51820", config.bpf().filter());
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
}
