package io.wgmon.delivery.format;

import io.wgmon.tracking.EventDetail;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** An {@link EventDetail}'s fields as they are on the wire: instants as UTC text to the second. */
final class DetailValues {
    private DetailValues() {
    }

    static Map<String, Object> of(EventDetail detail) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (detail != null) {
            detail.fields().forEach((name, value) ->
                    values.put(name, value instanceof Instant instant ? WireTimes.withSeconds(instant) : value));
        }
        return values;
    }
}
