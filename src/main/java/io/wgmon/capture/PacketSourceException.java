package io.wgmon.capture;

/** A packet source could not be started; the message is meant for the operator as is. */
public class PacketSourceException extends RuntimeException {
    public PacketSourceException(String message) {
        super(message);
    }

    public PacketSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
