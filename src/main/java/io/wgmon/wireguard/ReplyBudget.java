package io.wgmon.wireguard;

import io.wgmon.wireguard.WireGuardException.Reason;

/**
 * Counts what one reply has used of its {@link ReplyLimits}. Each {@code admit…} call says whether
 * one more is allowed; after the first refusal {@link #exceeded()} is the TOO_LARGE exception,
 * naming the reply's source and the limit. For parsers that record problems instead of throwing
 * (an attribute walk), the boolean form lets them stop the walk and throw once it ends.
 */
public final class ReplyBudget {
    private final ReplyLimits limits;
    private final String source;
    private long bytes;
    private int peers;
    private long allowedIps;
    private WireGuardException exceeded;

    ReplyBudget(ReplyLimits limits, String source) {
        this.limits = limits;
        this.source = source;
    }

    public boolean admitBytes(long count) {
        bytes += count;
        return bytes <= limits.maxBytes()
                || refuse("exceeds " + limits.maxBytes() + " bytes");
    }

    public boolean admitPeer() {
        return ++peers <= limits.maxPeers()
                || refuse("has more than " + limits.maxPeers() + " peers");
    }

    public boolean admitAllowedIp() {
        return ++allowedIps <= limits.maxAllowedIps()
                || refuse("has more than " + limits.maxAllowedIps() + " allowed IPs");
    }

    /** The exception for the first refusal, or null while everything was admitted. */
    public WireGuardException exceeded() {
        return exceeded;
    }

    private boolean refuse(String what) {
        if (exceeded == null) {
            exceeded = new WireGuardException(Reason.TOO_LARGE, source + " " + what
                    + ": not read further (the limits of one reply follow the heap size, -Xmx)");
        }
        return false;
    }
}
