package io.wgmon.webhook;

import io.wgmon.tracking.PeerEvent;

import java.util.Optional;

/** A receiver's format and signer: turns events into deliveries and signs deliveries read back from the spool. */
record DeliveryRenderer(PayloadFormat format, Optional<WebhookSigner> signer) {

    Delivery render(PeerEvent event) {
        Payload payload = format.render(event);
        return sign(new Delivery(event.key(), event.type().wireName(), event.id().toString(), event.time(), payload,
                null));
    }

    /** Signed with the current secret, so a spooled event is still accepted after the secret was rotated. */
    Delivery sign(Delivery delivery) {
        return delivery.withSignature(signer.map(s -> s.sign(delivery.payload().body())).orElse(null));
    }
}
