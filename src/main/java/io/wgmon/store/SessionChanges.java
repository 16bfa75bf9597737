package io.wgmon.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The {@code session} rows one scan changed (docs/architecture.md#store): sessions begun, endpoint changes of
 * open sessions, sessions ended. Written in the scan's transaction, with its deliveries and {@code peer_state}.
 */
public record SessionChanges(List<Opened> opened, List<Moved> moved, List<Closed> closed) {
    public static final SessionChanges NONE = new SessionChanges(List.of(), List.of(), List.of());

    /** @param name the peer's name at the start, null when none; @param endpoint "ip:port", null when none */
    public record Opened(UUID id, String interfaceName, String publicKey, String name, Instant start,
                         String endpoint) {
    }

    public record Moved(UUID id, Instant time, String endpoint) {
    }

    /** @param rxBytes received over the whole session; @param txBytes sent over it */
    public record Closed(UUID id, Instant end, String reason, long rxBytes, long txBytes) {
    }

    public SessionChanges {
        opened = List.copyOf(opened);
        moved = List.copyOf(moved);
        closed = List.copyOf(closed);
    }

    public boolean isEmpty() {
        return opened.isEmpty() && moved.isEmpty() && closed.isEmpty();
    }
}
