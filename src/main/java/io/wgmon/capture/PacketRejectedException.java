package io.wgmon.trigger;

/** A captured packet that cannot be used; cheap (no stack trace) since garbage can be frequent. */
final class PacketRejectedException extends RuntimeException {
    private final String reason;

    PacketRejectedException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
