package io.wgmon.delivery.format;

import io.wgmon.delivery.http.DeliveryHeaders;
import io.wgmon.tracking.PeerKey;

import java.time.Instant;

/**
 * One event rendered for one receiver; every attempt sends exactly these bytes and headers.
 *
 * @param eventType X-Wgmon-Event, e.g. "peer.connected"
 * @param id        X-Wgmon-Delivery, the event id
 * @param time      when the event happened; its age decides expiry
 * @param signature X-Wgmon-Signature-256, null without a secret (and in the spool, which keeps no signature)
 */
public record Delivery(PeerKey peer, String eventType, String id, Instant time, Payload payload, String signature) {

    DeliveryHeaders headers() {
        return new DeliveryHeaders(eventType, id, signature);
    }

    Delivery withSignature(String signature) {
        return new Delivery(peer, eventType, id, time, payload, signature);
    }

    public String describe() {
        return eventType + " " + id + " for " + peer;
    }
}
