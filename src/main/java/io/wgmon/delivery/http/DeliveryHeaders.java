package io.wgmon.delivery.http;

import io.wgmon.delivery.format.Payload;
import java.util.Map;

/**
 * The per-delivery headers besides Content-Type (which comes with the {@link Payload}) and User-Agent
 * (which the sender sets).
 *
 * @param event       X-Wgmon-Event, e.g. "peer.connected"
 * @param deliveryId  X-Wgmon-Delivery, the event id; the same on every attempt
 * @param signature   X-Wgmon-Signature-256, null without a secret
 * @param extra       headers of this attempt: Standard Webhooks' signature, a chat preset's title...
 * @param transaction non-null: the request is a PUT to the receiver's URL plus "/" and this (Matrix's txnId)
 */
public record DeliveryHeaders(String event, String deliveryId, String signature, Map<String, String> extra,
                              String transaction) {
    public static final String EVENT = "X-Wgmon-Event";
    public static final String DELIVERY = "X-Wgmon-Delivery";

    public DeliveryHeaders {
        extra = Map.copyOf(extra);
    }

    public DeliveryHeaders(String event, String deliveryId, String signature) {
        this(event, deliveryId, signature, Map.of(), null);
    }
}
