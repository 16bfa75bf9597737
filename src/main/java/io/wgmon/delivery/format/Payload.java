package io.wgmon.delivery.format;

/** A rendered webhook body and the Content-Type it is sent with. The signature covers exactly {@code body}. */
public record Payload(byte[] body, String contentType) {
}
