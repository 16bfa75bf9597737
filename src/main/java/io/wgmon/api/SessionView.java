package io.wgmon.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.wgmon.store.SessionRow;
import io.wgmon.tracking.PeerState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One session as the API shows it (README, "Session history"). An open session's duration runs to now and
 * its bytes are the tracker's growth since its start, when the tracker still holds it.
 *
 * @param endpoint  the endpoint at the start, null when none
 * @param endpoints the start's endpoint and every change, oldest first
 */
public record SessionView(
        UUID id,
        @JsonProperty("interface") String interfaceName,
        String publicKey,
        String name,
        Instant start,
        Instant end,
        long durationSeconds,
        String endReason,
        long rxBytes,
        long txBytes,
        String endpoint,
        List<EndpointView> endpoints) {

    public record EndpointView(Instant time, String endpoint) {
    }

    /** @param live the tracker's state of this session's peer when it still holds the session, else null */
    static SessionView of(SessionRow row, PeerState live, Instant now) {
        long rx = row.rxBytes();
        long tx = row.txBytes();
        if (row.open() && live != null) {
            rx = live.session().rxBytes(live.last());
            tx = live.session().txBytes(live.last());
        }
        Instant until = row.open() ? now : row.end();
        long seconds = Math.max(0, Duration.between(row.start(), until).getSeconds());
        return new SessionView(row.id(), row.interfaceName(), row.publicKey(), row.name(), row.start(), row.end(),
                seconds, row.endReason(), rx, tx, row.endpoint(),
                row.endpoints().stream().map(e -> new EndpointView(e.time(), e.endpoint())).toList());
    }
}
