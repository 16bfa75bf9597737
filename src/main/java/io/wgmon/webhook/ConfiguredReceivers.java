package io.wgmon.webhook;

import io.wgmon.config.WgmonConfig;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The receivers of {@code wgmon.webhook.*}: each URL of {@code url} with the default format, secret and
 * headers, then each {@code receivers.<name>} (by name) with its own values where set. A receiver's header
 * replaces a default header of the same name, compared without case.
 */
final class ConfiguredReceivers {
    private ConfiguredReceivers() {
    }

    static List<WebhookReceiver> of(WgmonConfig.Webhook config) {
        List<WebhookReceiver> receivers = new ArrayList<>();
        List<URI> urls = config.url().orElse(List.of());
        List<String> tags = Receivers.tags(urls);
        Optional<WebhookSigner> defaultSigner = config.secret().map(WebhookSigner::new);
        for (int i = 0; i < urls.size(); i++) {
            receivers.add(WebhookReceiver.ofUrl(urls.get(i), tags.get(i), config.headers(),
                    PayloadFormat.of(config.format()), defaultSigner));
        }
        new TreeMap<>(config.receivers()).forEach((name, receiver) -> receivers.add(WebhookReceiver.named(name,
                receiver.url(), merge(config.headers(), receiver.headers()),
                PayloadFormat.of(receiver.format().orElse(config.format())),
                receiver.secret().or(config::secret).map(WebhookSigner::new))));
        return receivers;
    }

    private static Map<String, String> merge(Map<String, String> defaults, Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        merged.putAll(defaults);
        merged.putAll(overrides);
        return merged;
    }
}
