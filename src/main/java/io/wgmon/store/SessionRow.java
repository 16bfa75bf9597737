package io.wgmon.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One {@code session} row as read back. An open session has no end, no reason, and the bytes the store
 * holds for it are 0 (its bytes so far come from the tracker).
 *
 * @param position where the row sorts, for the next page's cursor
 */
public record SessionRow(UUID id, String interfaceName, String publicKey, String name, Instant start, Instant end,
                         String endReason, long rxBytes, long txBytes, String endpoint,
                         List<EndpointAt> endpoints, SessionCursor position) {

    public record EndpointAt(Instant time, String endpoint) {
    }

    public SessionRow {
        endpoints = List.copyOf(endpoints);
    }

    public boolean open() {
        return end == null;
    }
}
