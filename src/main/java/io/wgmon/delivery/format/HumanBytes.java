package io.wgmon.delivery.format;

import java.util.Locale;

/** "80.0 GB", "512 B": decimal units, for chat messages. */
final class HumanBytes {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

    private HumanBytes() {
    }

    static String of(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
