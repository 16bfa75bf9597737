package io.wgmon.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an event of a kind other than connect and disconnect says beyond the peer (docs/architecture.md#events):
 * written as the {@code detail} object of the json format, in this order. Values are strings, numbers,
 * booleans, lists of strings, or instants (written to the second, UTC); null when unknown.
 */
public sealed interface EventDetail {

    /** Every field name of every kind, for templates: each is present (null) in every event's data. */
    List<String> FIELD_NAMES = List.of("previousEndpoint", "suppressed", "endpoints", "flips", "windowSeconds",
            "source", "initiations", "validMac1", "invalidMac1", "windowStart", "windowEnd", "summary",
            "lastHandshake", "neverConnected", "staleAfterSeconds", "graceSeconds", "downSeconds", "firstSeen",
            "thresholdPercent", "usedBytes", "limitBytes", "periodStart");

    /** Field name to value, in wire order. */
    Map<String, Object> fields();

    /**
     * {@code peer.roamed}: the peer's endpoint changed (the event's peer has the new one).
     *
     * @param suppressed roams of this peer not reported since the last {@code peer.roamed} (rate limit)
     */
    record Roamed(String previousEndpoint, int suppressed) implements EventDetail {
        @Override
        public Map<String, Object> fields() {
            return ordered("previousEndpoint", previousEndpoint, "suppressed", (long) suppressed);
        }
    }

    /** {@code peer.endpoint-conflict}: one key alternating between these endpoints within the window. */
    record EndpointConflict(List<String> endpoints, int flips, Duration window) implements EventDetail {
        public EndpointConflict {
            endpoints = List.copyOf(endpoints);
        }

        @Override
        public Map<String, Object> fields() {
            return ordered("endpoints", endpoints, "flips", (long) flips, "windowSeconds", window.toSeconds());
        }
    }

    /**
     * {@code handshake.failed}: initiations from a source no session followed; about a source address on an
     * interface, not a configured peer (the event has no public key and no peer).
     *
     * @param source  "ip:port"
     * @param summary further sources folded into this event (a flood is summarised, never one event each)
     */
    record HandshakeFailed(String source, long initiations, long validMac1, long invalidMac1, Instant windowStart,
                           Instant windowEnd, long summary) implements EventDetail {
        @Override
        public Map<String, Object> fields() {
            return ordered("source", source, "initiations", initiations, "validMac1", validMac1,
                    "invalidMac1", invalidMac1, "windowStart", windowStart, "windowEnd", windowEnd, "summary", summary);
        }
    }

    /**
     * {@code peer.stale}: no handshake for {@code staleAfter}, or none at all since wgmon first saw the peer.
     *
     * @param lastHandshake null when never connected
     */
    record Stale(Instant lastHandshake, boolean neverConnected, Duration staleAfter, Instant firstSeen)
            implements EventDetail {
        @Override
        public Map<String, Object> fields() {
            return ordered("lastHandshake", lastHandshake, "neverConnected", neverConnected,
                    "staleAfterSeconds", staleAfter.toSeconds(), "firstSeen", firstSeen);
        }
    }

    /** {@code peer.down}: an always-on peer without a handshake for its grace period. */
    record Down(Instant lastHandshake, Duration grace) implements EventDetail {
        @Override
        public Map<String, Object> fields() {
            return ordered("lastHandshake", lastHandshake, "graceSeconds", grace.toSeconds());
        }
    }

    /** {@code peer.up}: an always-on peer that was down handshakes again. */
    record Up(Duration downFor) implements EventDetail {
        @Override
        public Map<String, Object> fields() {
            return ordered("downSeconds", downFor.toSeconds());
        }
    }

    /** {@code peer.first-seen}: a key connects for the first time ever (as far as the store knows). */
    record FirstSeen(Instant firstSeen) implements EventDetail {
        @Override
        public Map<String, Object> fields() {
            return ordered("firstSeen", firstSeen);
        }
    }

    /** {@code peer.quota}: a peer's traffic in the period crossed a threshold of its limit. */
    record Quota(int thresholdPercent, long usedBytes, long limitBytes, Instant periodStart) implements EventDetail {
        @Override
        public Map<String, Object> fields() {
            return ordered("thresholdPercent", (long) thresholdPercent, "usedBytes", usedBytes,
                    "limitBytes", limitBytes, "periodStart", periodStart);
        }
    }

    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            if (!FIELD_NAMES.contains(name)) {
                throw new IllegalStateException(name + " is missing from FIELD_NAMES: " + Arrays.toString(namesAndValues));
            }
            fields.put(name, namesAndValues[i + 1]);
        }
        return fields;
    }
}
