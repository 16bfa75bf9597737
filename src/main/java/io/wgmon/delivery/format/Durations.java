package io.wgmon.delivery.format;

import java.time.Duration;

/** A timeout as operators configure it: "300 ms", "10 s", "2 min". */
public final class Durations {
    private Durations() {
    }

    public static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + " min";
        }
        if (millis % 1000 == 0 && millis > 0) {
            return millis / 1000 + " s";
        }
        return millis + " ms";
    }
}
