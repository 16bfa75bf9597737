package io.wgmon.delivery.queue;

/** What a status code means for a delivery. */
public enum ReplyOutcome {
    DELIVERED,
    /** Receiver overloaded or temporarily broken: 5xx, 408, 429. */
    RETRY,
    /** The receiver refuses this request (other 4xx, and 3xx since redirects are not followed). */
    REJECTED;

    public static ReplyOutcome of(int status) {
        if (status >= 200 && status < 300) {
            return DELIVERED;
        }
        if (status >= 500 || status == 408 || status == 429) {
            return RETRY;
        }
        return REJECTED;
    }

    /** Only these statuses carry a Retry-After worth honouring. */
    static boolean mayCarryRetryAfter(int status) {
        return status == 429 || status == 503;
    }
}
