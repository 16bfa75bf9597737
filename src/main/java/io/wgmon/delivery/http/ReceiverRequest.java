package io.wgmon.delivery.http;

import io.wgmon.delivery.format.Payload;
import io.wgmon.delivery.format.WebhookSigner;
import jakarta.ws.rs.core.HttpHeaders;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request to a receiver, decided in one place: method, URL, every header and the body. Headers are
 * applied in this order, a later one replacing an earlier one of the same name: User-Agent, Content-Type,
 * wgmon's delivery headers, the attempt's own (Standard Webhooks', a chat preset's), then the receiver's
 * configured headers (e.g. Authorization), which win.
 *
 * @param target the receiver's URL, or for Matrix that URL plus "/" and the transaction id
 */
record ReceiverRequest(String method, URI target, Map<String, String> headers, byte[] body) {

    static ReceiverRequest of(ReceiverAddress receiver, Payload payload, DeliveryHeaders delivery, String userAgent) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HttpHeaders.USER_AGENT, userAgent);
        headers.put(HttpHeaders.CONTENT_TYPE, payload.contentType());
        put(headers, DeliveryHeaders.EVENT, delivery.event());
        put(headers, DeliveryHeaders.DELIVERY, delivery.deliveryId());
        put(headers, WebhookSigner.HEADER, delivery.signature());
        delivery.extra().forEach((name, value) -> put(headers, name, value));
        receiver.headers().forEach((name, value) -> put(headers, name, value));
        return delivery.transaction() == null
                ? new ReceiverRequest("POST", receiver.url(), headers, payload.body())
                : new ReceiverRequest("PUT", withSegment(receiver.url(), delivery.transaction()), headers, payload.body());
    }

    /** The path and query as sent on the request line. */
    String pathAndQuery() {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        return target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
    }

    /** Names are matched case-insensitively, as HTTP does. */
    private static void put(Map<String, String> headers, String name, String value) {
        if (value == null) {
            return;
        }
        headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
        headers.put(name, value);
    }

    private static URI withSegment(URI url, String segment) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        String joined = (path.endsWith("/") ? path : path + "/") + encodeSegment(segment);
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + joined
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    private static String encodeSegment(String segment) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
