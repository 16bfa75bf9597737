package io.wgmon.webhook;

import io.wgmon.tracking.PeerEvent;

/** One event rendered for sending; every attempt sends exactly these bytes and headers. */
record Delivery(PeerEvent event, Payload payload, DeliveryHeaders headers) {

    String describe() {
        return event.type().wireName() + " " + event.id() + " for " + event.key();
    }
}
