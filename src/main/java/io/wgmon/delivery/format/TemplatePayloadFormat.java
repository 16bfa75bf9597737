package io.wgmon.delivery.format;

import io.quarkus.qute.Template;
import io.wgmon.tracking.PeerEvent;

import java.nio.charset.StandardCharsets;

/** A receiver's own Qute template, rendered once per event when the event is admitted. */
public final class TemplatePayloadFormat implements PayloadFormat {
    private final String name;
    private final Template template;
    private final String contentType;

    /** @param name how the start-up log names the format, e.g. "template" or "preset home-assistant" */
    public TemplatePayloadFormat(String name, Template template, String contentType) {
        this.name = name;
        this.template = template;
        this.contentType = contentType;
    }

    @Override
    public Payload render(PeerEvent event) {
        String body = EventTemplates.render(template, EventFacts.of(event).templateData());
        return new Payload(body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    @Override
    public String name() {
        return name;
    }
}
