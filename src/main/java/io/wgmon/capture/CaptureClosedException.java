package io.wgmon.trigger;

/** The capture was closed; the reader ends. */
final class CaptureClosedException extends RuntimeException {
    CaptureClosedException() {
        super("capture closed", null, false, false);
    }
}
