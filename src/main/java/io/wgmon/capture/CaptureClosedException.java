package io.wgmon.capture;

/** The source's socket or capture was closed; the reader loop ends. */
public final class CaptureClosedException extends RuntimeException {
    public CaptureClosedException() {
        super("source closed", null, false, false);
    }
}
