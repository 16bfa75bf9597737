package io.wgmon.webhook;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

import java.util.Map;

/** Puts a receiver's configured headers (e.g. Authorization) on each of its requests. */
final class ExtraHeadersFilter implements ClientRequestFilter {
    private final Map<String, String> headers;

    ExtraHeadersFilter(Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
    }

    @Override
    public void filter(ClientRequestContext request) {
        headers.forEach((name, value) -> request.getHeaders().putSingle(name, value));
    }
}
