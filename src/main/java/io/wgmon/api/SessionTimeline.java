package io.wgmon.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.wgmon.store.PeerSpans;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * Every peer's sessions overlapping [from, to) as numbers, for the status page's timelines: a peer's
 * {@code spans} are start, end pairs of its ended sessions in whole seconds after {@code from} (a start before
 * it is negative), oldest first; {@code open} is its session under way, if any.
 */
public record SessionTimeline(Instant from, Instant to, List<Peer> peers) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Peer(@JsonProperty("interface") String interfaceName, String publicKey,
                       @Schema(description = "start, end, start, end, ...: seconds after from") long[] spans,
                       Open open) {
    }

    /** @param start seconds after the timeline's from */
    public record Open(String id, long start) {
    }

    static SessionTimeline of(Instant from, Instant to, List<PeerSpans> rows) {
        long origin = from.toEpochMilli();
        List<Peer> peers = rows.stream().map(row -> {
            long[] spans = new long[row.spans().length];
            for (int i = 0; i < spans.length; i++) {
                spans[i] = Math.floorDiv(row.spans()[i] - origin, 1000);
            }
            Open open = row.openId() == null ? null
                    : new Open(row.openId(), Math.floorDiv(row.openStart() - origin, 1000));
            return new Peer(row.interfaceName(), row.publicKey(), spans, open);
        }).toList();
        return new SessionTimeline(from, to, peers);
    }
}
