package io.wgmon.tracking;

import java.util.Locale;

/**
 * Why a scan was asked for, as the {@code cause} label of {@code wgmon_scans_seconds} says it. The
 * coalescer merges requests, so a scan counts under the first of these its merged requests had.
 */
public enum ScanCause {
    /** A completed handshake was seen: the scan skips the coalescing window. */
    URGENT,
    /** An urgent scan found no connect: WireGuard may not have processed the handshake yet, so again. */
    RECHECK,
    /** The baseline scan at start-up. */
    START,
    /** Something may have been missed: packets were lost, or an interface or UAPI socket came or went. */
    RECOVERY,
    /** A packet from an endpoint that is not connected. */
    PACKET,
    /** No packet arrived since start: a look for handshakes the capture missed ({@link NoPacketProbe}). */
    PROBE,
    /**
     * A connected peer's deadline fell due: a check for idle peers ({@link PeerDeadlines}). Last, so a scan counts
     * under it only when nothing else asked: only then may a {@link DeadlineLook} stand in for the scan.
     */
    DEADLINE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
