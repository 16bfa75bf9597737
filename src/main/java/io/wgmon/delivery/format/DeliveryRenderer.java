package io.wgmon.delivery.format;

import io.wgmon.delivery.chat.ChatRenderer;
import io.wgmon.delivery.http.DeliveryHeaders;
import io.wgmon.tracking.PeerEvent;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A receiver's format and signers: turns events into deliveries, signs deliveries read back from the
 * spool, and gives each attempt its headers.
 */
public record DeliveryRenderer(PayloadFormat format, Optional<WebhookSigner> signer,
                        Optional<StandardWebhooksSigner> standard) {

    public Delivery render(PeerEvent event) {
        Payload payload = format.render(event);
        return sign(new Delivery(event.laneKey(), event.type().wireName(), event.id().toString(), event.time(), payload,
                null));
    }

    /** Signed with the current secret, so a spooled event is still accepted after the secret was rotated. */
    public Delivery sign(Delivery delivery) {
        return delivery.withSignature(signer.map(s -> s.sign(delivery.payload().body())).orElse(null));
    }

    /** The headers of one attempt of a delivery: a Standard Webhooks signature covers the attempt's time. */
    public DeliveryHeaders headers(Delivery delivery, Instant attempt) {
        DeliveryHeaders headers = delivery.headers();
        return standard.isEmpty() ? headers : new DeliveryHeaders(headers.event(), headers.deliveryId(),
                headers.signature(), standard.get().headers(delivery.id(), attempt, delivery.payload().body()), null);
    }

    /** The headers of one attempt of a chat message, signed over its rendered body. */
    public DeliveryHeaders headers(String eventType, String id, ChatRenderer.Message message, Instant attempt) {
        byte[] body = message.payload().body();
        Map<String, String> extra = new LinkedHashMap<>(message.headers());
        standard.ifPresent(s -> extra.putAll(s.headers(id, attempt, body)));
        return new DeliveryHeaders(eventType, id, signer.map(s -> s.sign(body)).orElse(null), extra,
                message.transaction());
    }
}
