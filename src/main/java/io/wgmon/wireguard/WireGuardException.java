package io.wgmon.wireguard;

/**
 * A WireGuard backend request failed. The message says which interface and why, in words for
 * an operator; the {@link Reason} is what code branches on. Created once, by the lowest level
 * that knows the reason, and not wrapped again on the way up (docs/architecture.md#wireguard).
 * Messages never quote a value that may be key material.
 */
public class WireGuardException extends Exception {

    public enum Reason {
        /** The interface does not exist (any more), is not WireGuard, or its UAPI socket is gone or stale. */
        NO_SUCH_DEVICE,
        /** The generic netlink family "wireguard" is unknown: module not loaded, unloaded or reloaded. */
        MODULE_NOT_LOADED,
        /** The kernel or the socket's file mode refused us (no CAP_NET_ADMIN, not root). */
        PERMISSION_DENIED,
        /** The kernel flagged a dump inconsistent (NLM_F_DUMP_INTR); a new dump may succeed. */
        DUMP_INTERRUPTED,
        /** The reply does not have the layout the protocol promises. */
        MALFORMED_REPLY,
        /** The reply is larger, in bytes, peers or allowed IPs, than wgmon reads ({@link ReplyLimits}). */
        TOO_LARGE,
        /** No complete reply within the request timeout. */
        TIMEOUT,
        /** The kernel or the daemon answered with another errno. */
        REFUSED,
        /** A socket or file operation failed, or the client is closed. */
        IO
    }

    private final Reason reason;

    public WireGuardException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public WireGuardException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
