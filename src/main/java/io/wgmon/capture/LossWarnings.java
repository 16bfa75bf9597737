package io.wgmon.capture;

import java.time.Duration;
import java.time.Instant;

/**
 * At most one loss warning per {@link #WINDOW}: a flood that overruns the buffer round after round
 * writes one line a minute, each saying how many losses there were since the line before. No timer:
 * the losses of a window that ends quietly are told by the next loss's line (and counted in
 * {@code wgmon_packets_lost_total} at once).
 */
final class LossWarnings {
    static final Duration WINDOW = Duration.ofMinutes(1);

    private Instant lastWarning;
    private long sinceLastWarning;

    /**
     * A loss at {@code now}.
     *
     * @return how many losses the warning to write now tells (this one included), 0 when none is due
     */
    long lost(Instant now) {
        sinceLastWarning++;
        if (lastWarning != null && now.isBefore(lastWarning.plus(WINDOW))) {
            return 0;
        }
        long told = sinceLastWarning;
        lastWarning = now;
        sinceLastWarning = 0;
        return told;
    }
}
