package io.wgmon.wireguard;

/**
 * Bytes from the kernel that do not have the layout the protocol promises. Raised deep in the
 * attribute walk, where the device name is not known; the reader turns it into a
 * {@link WireGuardException} that names the interface. Messages never quote attribute values.
 */
final class MalformedReplyException extends Exception {
    MalformedReplyException(String message) {
        super(message);
    }
}
