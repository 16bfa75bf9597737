package io.wgmon.tracking;

/** The causes asked for since the last scan began; noted on any thread, taken on the scan thread. */
final class ScanCauses {
    private int pending;

    synchronized void note(ScanCause cause) {
        pending |= 1 << cause.ordinal();
    }

    /** The first pending cause in {@link ScanCause}'s order (deadline when none is noted), and forgets them all. */
    synchronized ScanCause take() {
        int taken = pending;
        pending = 0;
        return taken == 0 ? ScanCause.DEADLINE : ScanCause.values()[Integer.numberOfTrailingZeros(taken)];
    }
}
