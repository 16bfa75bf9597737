package io.wgmon.delivery.format;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The two ISO-8601 UTC forms used on the wire; fixed width, unlike {@link DateTimeFormatter#ISO_INSTANT}. */
public final class WireTimes {
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private WireTimes() {
    }

    /** "2026-11-25T23:52:51.450Z" */
    public static String withMillis(Instant time) {
        return MILLIS.format(time);
    }

    /** "2026-11-25T23:52:51Z", or null for null (a peer that never completed a handshake). */
    static String withSeconds(Instant time) {
        return time == null ? null : SECONDS.format(time);
    }
}
