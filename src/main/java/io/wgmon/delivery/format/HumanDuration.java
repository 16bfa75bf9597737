package io.wgmon.delivery.format;

import java.time.Duration;

/** "2 h 13 min", "45 s", "3 d 4 h": the two largest units, for chat messages. */
public final class HumanDuration {
    private HumanDuration() {
    }

    public static String of(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        long rest = seconds % 60;
        if (days > 0) {
            return hours > 0 ? days + " d " + hours + " h" : days + " d";
        }
        if (hours > 0) {
            return minutes > 0 ? hours + " h " + minutes + " min" : hours + " h";
        }
        if (minutes > 0) {
            return rest > 0 ? minutes + " min " + rest + " s" : minutes + " min";
        }
        return rest + " s";
    }
}
