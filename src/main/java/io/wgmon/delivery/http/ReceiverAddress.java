package io.wgmon.delivery.http;

import io.wgmon.delivery.Receivers;
import java.net.URI;
import java.util.Map;

/**
 * Where a receiver is and the extra headers it wants on every request (e.g. Authorization).
 * {@link #toString} hides the path, query and header values: they often hold tokens.
 */
public record ReceiverAddress(URI url, Map<String, String> headers) {
    public ReceiverAddress {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return Receivers.label(url) + (headers.isEmpty() ? "" : " with headers " + headers.keySet());
    }
}
