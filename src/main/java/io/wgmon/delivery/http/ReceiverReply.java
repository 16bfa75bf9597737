package io.wgmon.delivery.http;

/**
 * What a receiver answered.
 *
 * @param status     HTTP status code
 * @param retryAfter the raw Retry-After header, null when absent
 */
public record ReceiverReply(int status, String retryAfter) {
}
