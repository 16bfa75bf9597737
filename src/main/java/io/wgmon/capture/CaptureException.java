package io.wgmon.capture;

/**
 * Reading from a started source failed (a receive error, a libpcap read error); the reader loop
 * counts it, logs the message (one line) and backs off.
 */
public final class CaptureException extends RuntimeException {
    public CaptureException(String message) {
        super(message);
    }
}
