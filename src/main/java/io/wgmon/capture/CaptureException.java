package io.wgmon.trigger;

/** libpcap reported an error on a started capture; the message is libpcap's, on one line. */
final class CaptureException extends RuntimeException {
    CaptureException(String message) {
        super(message);
    }
}
