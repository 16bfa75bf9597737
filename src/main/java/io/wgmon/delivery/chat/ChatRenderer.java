package io.wgmon.delivery.chat;

import io.quarkus.qute.Template;
import io.wgmon.config.WgmonConfig.ChatPreset;
import io.wgmon.delivery.format.EventFacts;
import io.wgmon.delivery.format.EventTemplates;
import io.wgmon.delivery.format.NameEscaping;
import io.wgmon.delivery.format.Payload;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A chat preset, compiled: renders what is pending for one receiver into one request. */
public final class ChatRenderer {
    /** The request of one message: its body and the headers it adds. */
    public record Message(Payload payload, Map<String, String> headers, String transaction) {
    }

    private final String presetName;
    private final Template body;
    private final Map<String, Template> headers = new LinkedHashMap<>();
    private final String contentType;
    private final boolean put;
    private final Duration interval;
    private final String chatId;
    private final NameEscaping names;

    public ChatRenderer(ChatPreset preset, EventTemplates templates, String chatId) {
        ChatPresets.Spec spec = ChatPresets.of(preset);
        this.presetName = ChatPresets.configName(preset);
        this.names = spec.names();
        Map<String, Object> sample = ChatMessage.data(List.of(EventFacts.sample()), chatId, names);
        this.body = templates.compile("preset " + presetName, spec.body(), sample, spec.contentType());
        spec.headers().forEach((name, value) ->
                headers.put(name, templates.compile("preset " + presetName + " header " + name, value, sample)));
        this.contentType = spec.contentType();
        this.put = spec.put();
        this.interval = spec.interval();
        this.chatId = chatId;
    }

    public String presetName() {
        return presetName;
    }

    /** Least time between two messages. */
    Duration interval() {
        return interval;
    }

    Message render(List<EventFacts> events) {
        Map<String, Object> data = ChatMessage.data(events, chatId, names);
        Map<String, String> rendered = new LinkedHashMap<>();
        headers.forEach((name, template) -> rendered.put(name, headerValue(EventTemplates.render(template, data))));
        String transaction = put ? "wgmon-" + events.get(0).id() + "-" + events.size() : null;
        return new Message(new Payload(EventTemplates.render(body, data).getBytes(StandardCharsets.UTF_8), contentType),
                rendered, transaction);
    }

    /** A header is ASCII here: anything else goes as an RFC 2047 encoded word (ntfy 2.4.0 and newer decode them). */
    static String headerValue(String value) {
        String oneLine = value.replaceAll("\\R", " ");
        if (oneLine.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return oneLine;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(oneLine.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}
