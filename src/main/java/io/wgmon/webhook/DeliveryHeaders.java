package io.wgmon.webhook;

/**
 * The per-delivery headers besides Content-Type (which comes with the {@link Payload}) and User-Agent
 * (which the sender sets).
 *
 * @param event      X-Wgmon-Event, e.g. "peer.connected"
 * @param deliveryId X-Wgmon-Delivery, the event id; the same on every attempt
 * @param signature  X-Wgmon-Signature-256, null without a secret
 */
public record DeliveryHeaders(String event, String deliveryId, String signature) {
    public static final String EVENT = "X-Wgmon-Event";
    public static final String DELIVERY = "X-Wgmon-Delivery";
}
