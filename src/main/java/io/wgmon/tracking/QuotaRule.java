package io.wgmon.tracking;

import java.util.List;

/**
 * A traffic quota (docs/architecture.md#expectations): {@code limitBytes} over a period, reported at each of
 * {@code thresholds} (percent of the limit, ascending).
 */
public record QuotaRule(long limitBytes, QuotaPeriod period, List<Integer> thresholds) {
    /** Limits up to 2^53 and thresholds up to 1000 % keep {@code limit × threshold} in a long. */
    public static final long MAX_LIMIT = 1L << 53;
    public static final int MAX_PERCENT = 1000;

    public QuotaRule {
        if (limitBytes <= 0 || limitBytes > MAX_LIMIT) {
            throw new IllegalArgumentException("a limit of " + limitBytes + " bytes is not between 1 and " + MAX_LIMIT);
        }
        thresholds = thresholds.stream().distinct().sorted().toList();
        if (thresholds.isEmpty() || thresholds.get(0) < 1 || thresholds.get(thresholds.size() - 1) > MAX_PERCENT) {
            throw new IllegalArgumentException("thresholds " + thresholds + " are not percentages from 1 to "
                    + MAX_PERCENT);
        }
    }

    /** The highest threshold {@code used} bytes reach; 0 when none. */
    public int reached(long used) {
        int reached = 0;
        for (int percent : thresholds) {
            long bytes = (limitBytes * percent + 99) / 100;
            if (used >= bytes) {
                reached = percent;
            }
        }
        return reached;
    }
}
