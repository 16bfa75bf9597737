package io.wgmon.delivery;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Webhook configuration with a URL list, two named receivers and a spool, for {@link ConfiguredDispatcherTest}. */
public class ConfiguredReceiversResource implements QuarkusTestResourceLifecycleManager {
    private Path spoolDir;

    @Override
    public Map<String, String> start() {
        try {
            spoolDir = Files.createTempDirectory("wgmon-spool");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String base = "http://127.0.0.1:" + FreePort.pick();
        return Map.ofEntries(
                Map.entry("wgmon.webhook.url", base + "/list"),
                Map.entry("wgmon.webhook.secret", "default-secret"),
                Map.entry("wgmon.webhook.receivers.discord.url", base + "/discord"),
                Map.entry("wgmon.webhook.receivers.discord.format", "form"),
                Map.entry("wgmon.webhook.receivers.api.url", base + "/api"),
                Map.entry("wgmon.webhook.receivers.api.format", "cloudevents"),
                Map.entry("wgmon.webhook.receivers.api.secret", "api-secret"),
                Map.entry("wgmon.webhook.receivers.api.headers.Authorization", "Bearer t0ken"),
                Map.entry("wgmon.store.dir", spoolDir.toString()),
                Map.entry("wgmon.webhook.spool-max-size", "1M"),
                Map.entry("wgmon.webhook.retry-initial", "50ms"),
                Map.entry("wgmon.webhook.retry-max", "500ms"));
    }

    @Override
    public void stop() {
        try (Stream<Path> files = Files.walk(spoolDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
