package io.wgmon.webhook;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Carries headers whose names vary per request (Standard Webhooks', ntfy's) through the REST client's
 * fixed parameters: they travel form-encoded in one internal header, which this filter replaces by the
 * headers themselves before the request leaves.
 */
final class PerRequestHeaders implements ClientRequestFilter {
    static final String CARRIER = "X-Wgmon-Internal-Headers";

    /** null for no headers, so the carrier is not sent at all. */
    static String encode(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        StringBuilder encoded = new StringBuilder();
        headers.forEach((name, value) -> {
            if (encoded.length() > 0) {
                encoded.append('&');
            }
            encoded.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return encoded.toString();
    }

    static Map<String, String> decode(String encoded) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                headers.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return headers;
    }

    @Override
    public void filter(ClientRequestContext request) {
        Object carried = request.getHeaders().getFirst(CARRIER);
        if (carried == null) {
            return;
        }
        request.getHeaders().remove(CARRIER);
        decode(carried.toString()).forEach((name, value) -> request.getHeaders().putSingle(name, value));
    }
}
