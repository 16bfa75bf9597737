package io.wgmon.wireguard;

/** A WireGuard backend request failed; the message says which interface and why. */
public class WireGuardException extends Exception {
    public WireGuardException(String message) {
        super(message);
    }

    public WireGuardException(String message, Throwable cause) {
        super(message, cause);
    }
}
