package io.wgmon.capture;

/** A captured packet that cannot be used; cheap (no stack trace) since garbage can be frequent. */
public final class PacketRejectedException extends RuntimeException {
    private final String reason;

    /**
     * @param reason short, stable, metric-tag friendly, e.g. "not-udp"
     * @param detail one line for a debug log
     */
    public PacketRejectedException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
