package io.wgmon.delivery.http;

import io.smallrye.mutiny.Uni;
import io.wgmon.delivery.format.Payload;

/** One HTTP POST to one receiver. */
public interface WebhookSender extends AutoCloseable {

    /**
     * @return the receiver's status code for every reply, 4xx and 5xx included; a failure only when
     *         there was no reply (connection refused or reset, timeout, TLS error)
     */
    Uni<ReceiverReply> send(ReceiverAddress receiver, Payload payload, DeliveryHeaders headers);

    /** Builds what sending to this receiver needs ahead of time, so the first event goes out fast. */
    default void prepare(ReceiverAddress receiver) {
    }

    @Override
    void close();
}
