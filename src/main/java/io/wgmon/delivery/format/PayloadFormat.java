package io.wgmon.delivery.format;

import io.wgmon.config.WgmonConfig.WebhookFormat;
import io.wgmon.tracking.PeerEvent;

/** Turns a peer event into the bytes a receiver gets (docs/architecture.md#events). */
public interface PayloadFormat {

    Payload render(PeerEvent event);

    /** The value of {@code wgmon.webhook.format} that selects this format. */
    String name();

    static PayloadFormat of(WebhookFormat format) {
        return switch (format) {
            case JSON -> new JsonPayloadFormat();
            case CLOUDEVENTS -> new CloudEventsPayloadFormat();
            case FORM -> new FormPayloadFormat();
        };
    }
}
