package io.wgmon.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * The shape of {@code GET /api/sessions/timeline} (written by {@link TimelineAnswer} as the store reads it):
 * every peer's sessions overlapping [from, to) as numbers, for the status page's timelines: a peer's
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
}
