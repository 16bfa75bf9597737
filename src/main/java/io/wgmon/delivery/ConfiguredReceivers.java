package io.wgmon.delivery;

import io.wgmon.StartupFailure;
import io.wgmon.config.ConfigCheck;
import io.wgmon.config.WgmonConfig.ChatPreset;
import io.wgmon.config.WgmonConfig.SignatureScheme;
import io.wgmon.config.WgmonConfig;
import io.wgmon.delivery.chat.ChatPresets;
import io.wgmon.delivery.chat.ChatRenderer;
import io.wgmon.delivery.format.EventFacts;
import io.wgmon.delivery.format.EventTemplates;
import io.wgmon.delivery.format.JsonPayloadFormat;
import io.wgmon.delivery.format.PayloadFormat;
import io.wgmon.delivery.format.StandardWebhooksSigner;
import io.wgmon.delivery.format.TemplatePayloadFormat;
import io.wgmon.delivery.format.WebhookSigner;
import io.wgmon.tracking.PeerEventType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The receivers of {@code wgmon.webhook.*}: each URL of {@code url} with the default format, secret and
 * headers and {@code events}, then each {@code receivers.<name>} (by name) with its own values where set. A receiver's header
 * replaces a default header of the same name, compared without case. A named receiver's preset or
 * template replaces its format; a template that does not compile stops start-up with one line naming
 * the receiver's key and the template's line.
 */
public final class ConfiguredReceivers {
    private ConfiguredReceivers() {
    }

    public static List<WebhookReceiver> of(WgmonConfig.Webhook config) {
        List<WebhookReceiver> receivers = new ArrayList<>();
        List<URI> urls = config.url().orElse(List.of()).stream()
                .map(url -> compiled(() -> ConfigCheck.url("wgmon.webhook.url", url))).toList();
        List<String> tags = Receivers.tags(urls);
        Optional<WebhookSigner> defaultSigner = config.secret().map(WebhookSigner::new);
        Set<PeerEventType> defaultEvents = compiled(() -> EventSelection.of("wgmon.webhook.events", config.events()));
        for (int i = 0; i < urls.size(); i++) {
            receivers.add(WebhookReceiver.ofUrl(urls.get(i), tags.get(i), config.headers(),
                    PayloadFormat.of(config.format()), defaultSigner).withEvents(defaultEvents));
        }
        EventTemplates templates = new EventTemplates();
        new TreeMap<>(config.receivers()).forEach((name, receiver) -> receivers.add(named(config, name, receiver,
                templates).withEvents(receiver.events().map(events -> compiled(() -> EventSelection.of(
                        "wgmon.webhook.receivers." + name + ".events", events))).orElse(defaultEvents))));
        return receivers;
    }

    /** The deprecated {@code wgmon.tracking.report-roaming=true}: {@code peer.roamed} for every receiver. */
    public static List<WebhookReceiver> withRoamed(List<WebhookReceiver> receivers) {
        return receivers.stream().map(receiver -> {
            Set<PeerEventType> more = EnumSet.of(PeerEventType.ROAMED);
            more.addAll(receiver.events());
            return receiver.withEvents(more);
        }).toList();
    }

    private static WebhookReceiver named(WgmonConfig.Webhook config, String name, WgmonConfig.Webhook.Receiver receiver,
                                         EventTemplates templates) {
        String prefix = "wgmon.webhook.receivers." + name;
        Optional<String> secret = receiver.secret().or(config::secret);
        boolean standard = receiver.signature() == SignatureScheme.STANDARD;
        URI url = compiled(() -> ConfigCheck.url(prefix + ".url", receiver.url()));
        WebhookReceiver built = WebhookReceiver.named(name, url, merge(config.headers(), receiver.headers()),
                format(config, prefix, receiver, templates),
                standard ? Optional.empty() : secret.map(WebhookSigner::new));
        if (standard) {
            try {
                built = built.withStandardSigner(new StandardWebhooksSigner(secret.orElse(null)));
            } catch (IllegalArgumentException e) {
                throw new StartupFailure(prefix + ".signature=standard needs " + prefix + ".secret=whsec_<base64>: "
                        + e.getMessage());
            }
        }
        if (receiver.preset().isPresent() && ChatPresets.of(receiver.preset().get()).summarize()) {
            built = built.withChat(compiled(() -> new ChatRenderer(receiver.preset().get(), templates,
                    receiver.chatId().orElse(null))));
        }
        return built;
    }

    private static PayloadFormat format(WgmonConfig.Webhook config, String prefix,
                                        WgmonConfig.Webhook.Receiver receiver, EventTemplates templates) {
        if (receiver.preset().isPresent()) {
            ChatPreset preset = receiver.preset().get();
            ChatPresets.Spec spec = ChatPresets.of(preset);
            if (spec.summarize()) {
                return new JsonPayloadFormat(); // the store keeps events; messages are rendered when sent
            }
            String presetName = "preset " + ChatPresets.configName(preset);
            return new TemplatePayloadFormat(presetName, compiled(() -> templates.compile(presetName, spec.body(),
                    EventFacts.sample().templateData(), spec.contentType())), spec.contentType());
        }
        Optional<String> template = receiver.template();
        String key = prefix + ".template";
        if (template.isEmpty() && receiver.templateFile().isPresent()) {
            Path file = receiver.templateFile().get();
            key = prefix + ".template-file=" + file;
            template = Optional.of(read(key, file));
        }
        if (template.isPresent()) {
            String what = key;
            String content = template.get();
            return new TemplatePayloadFormat("template", compiled(() -> templates.compile(what, content,
                    EventFacts.sample().templateData(), receiver.contentType())), receiver.contentType());
        }
        return PayloadFormat.of(receiver.format().orElse(config.format()));
    }

    private static <T> T compiled(Supplier<T> compile) {
        try {
            return compile.get();
        } catch (IllegalArgumentException e) {
            throw new StartupFailure(e.getMessage());
        }
    }

    private static String read(String key, Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            throw new StartupFailure(key + " cannot be read: " + e.getMessage());
        }
    }

    private static Map<String, String> merge(Map<String, String> defaults, Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        merged.putAll(defaults);
        merged.putAll(overrides);
        return merged;
    }
}
